-- The transfer's foreign keys take FOR KEY SHARE on its two accounts before the trigger runs; FOR UPDATE conflicts
-- with that, so two transfers on a shared account (the gateway's clearing account: nearly every transfer) each held
-- KEY SHARE and waited for the other's to upgrade: a deadlock. FOR NO KEY UPDATE is the lock the balance UPDATEs take
-- anyway; it does not conflict with KEY SHARE, and two transfers on one account still queue on it, in id order.
CREATE OR REPLACE FUNCTION ledger_apply_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p ledger_transfers%ROWTYPE;
BEGIN
  PERFORM 1 FROM ledger_accounts WHERE id IN (NEW.debit_account_id, NEW.credit_account_id) ORDER BY id FOR NO KEY UPDATE;
  PERFORM set_config('ledger.applying', 'on', true);
  IF NEW.kind = 'posted' THEN
    UPDATE ledger_accounts SET debits_posted_fen = debits_posted_fen + NEW.amount_fen WHERE id = NEW.debit_account_id;
    UPDATE ledger_accounts SET credits_posted_fen = credits_posted_fen + NEW.amount_fen WHERE id = NEW.credit_account_id;
  ELSIF NEW.kind = 'pending' THEN
    UPDATE ledger_accounts SET debits_pending_fen = debits_pending_fen + NEW.amount_fen WHERE id = NEW.debit_account_id;
    UPDATE ledger_accounts SET credits_pending_fen = credits_pending_fen + NEW.amount_fen WHERE id = NEW.credit_account_id;
  ELSE
    SELECT * INTO p FROM ledger_transfers WHERE id = NEW.pending_id;
    IF NOT FOUND OR p.kind <> 'pending' THEN
      RAISE EXCEPTION 'ledger: % of a transfer that is not pending', NEW.kind USING ERRCODE = 'check_violation';
    END IF;
    IF p.debit_account_id <> NEW.debit_account_id OR p.credit_account_id <> NEW.credit_account_id OR p.amount_fen <> NEW.amount_fen THEN
      RAISE EXCEPTION 'ledger: unbalanced % of pending transfer %', NEW.kind, p.id USING ERRCODE = 'check_violation';
    END IF;
    UPDATE ledger_accounts SET debits_pending_fen = debits_pending_fen - NEW.amount_fen,
      debits_posted_fen = debits_posted_fen + CASE WHEN NEW.kind = 'post' THEN NEW.amount_fen ELSE 0 END
      WHERE id = NEW.debit_account_id;
    UPDATE ledger_accounts SET credits_pending_fen = credits_pending_fen - NEW.amount_fen,
      credits_posted_fen = credits_posted_fen + CASE WHEN NEW.kind = 'post' THEN NEW.amount_fen ELSE 0 END
      WHERE id = NEW.credit_account_id;
  END IF;
  PERFORM set_config('ledger.applying', 'off', true);
  RETURN NEW;
END;
$$;
