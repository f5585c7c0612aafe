-- An online inquiry's ground (A5) has its own field; it used to lead the court's words as "<ground>: ".
UPDATE "price_procedures"
SET "basis_kind" = split_part("basis", ': ', 1), "basis" = substr("basis", length(split_part("basis", ': ', 1)) + 3)
WHERE "method" = 'online_inquiry' AND "basis_kind" IS NULL AND "basis" ~ '^(directed_inquiry_failed|parties_jointly_chose): ';
