CREATE TABLE "audit_pending" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
-- ADR 020: events are chained at commit. The first deferred trigger of a committing transaction takes the chain's
-- lock (the advisory lock appendAudit took before, key 4242002) and holds it through the commit, so seq and
-- prev_hash follow commit order across every node; the transaction's events are chained in the order it inserted
-- them. Each statement reads what committed before it started: the head is read after the lock is granted. An event
-- its own transaction deleted before the commit (withdrawAudits: a write it announced did not happen) is skipped.
CREATE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  next_seq bigint;
BEGIN
  DELETE FROM audit_pending WHERE id = NEW.id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(4242002);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events ORDER BY seq DESC LIMIT 1;
  next_seq := coalesce(last_seq, 0) + 1;
  last_hash := coalesce(last_hash, repeat('0', 64));
  INSERT INTO audit_events (seq, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash)
  VALUES (next_seq, NEW.occurred_at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.data, last_hash,
    encode(sha256(convert_to(NEW.body || last_hash || '","seq":"' || next_seq::text || '"}', 'UTF8')), 'hex'));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_chain_at_commit AFTER INSERT ON audit_pending
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_pending();
