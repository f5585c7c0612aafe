CREATE TABLE "lot_defaults" (
	"lot_id" uuid PRIMARY KEY NOT NULL,
	"asset_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"identity_number" text NOT NULL,
	"defaulted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "balances_due" (
	"lot_id" uuid PRIMARY KEY NOT NULL,
	"registration_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"price_fen" bigint NOT NULL,
	"deposit_applied_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reminded_at" timestamp with time zone,
	"settled_at" timestamp with time zone,
	CONSTRAINT "balances_due_status_check" CHECK ("balances_due"."status" in ('due','paid','defaulted'))
);
--> statement-breakpoint
CREATE TABLE "deposit_outcomes" (
	"registration_id" uuid PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reason" text NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "deposit_outcomes_outcome_check" CHECK ("deposit_outcomes"."outcome" in ('released','applied','forfeited'))
);
--> statement-breakpoint
CREATE TABLE "distribution_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"distribution_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"payee_kind" text NOT NULL,
	"payee_name" text NOT NULL,
	"party_id" uuid,
	"rank" integer,
	"claim_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "distribution_lines_position_unique" UNIQUE("distribution_id","position"),
	CONSTRAINT "distribution_lines_amounts_check" CHECK ("distribution_lines"."claim_fen" >= 0 and "distribution_lines"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "distributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"status" text NOT NULL,
	"total_fen" bigint NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"approved_by" uuid,
	"approved_at" timestamp with time zone,
	"pay_by" timestamp with time zone,
	CONSTRAINT "distributions_status_check" CHECK ("distributions"."status" in ('draft','approved','paid'))
);
--> statement-breakpoint
CREATE TABLE "gateway_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"gateway" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"provider_ref" text,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "gateway_events_unique" UNIQUE("gateway","event_id")
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"case_id" uuid,
	"registration_id" uuid,
	"party_id" uuid,
	"holder_name" text,
	"debits_must_not_exceed_credits" boolean NOT NULL,
	"credits_must_not_exceed_debits" boolean NOT NULL,
	"debits_pending_fen" bigint DEFAULT 0 NOT NULL,
	"debits_posted_fen" bigint DEFAULT 0 NOT NULL,
	"credits_pending_fen" bigint DEFAULT 0 NOT NULL,
	"credits_posted_fen" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_accounts_key_unique" UNIQUE("key"),
	CONSTRAINT "ledger_accounts_kind_check" CHECK ("ledger_accounts"."kind" in ('clearing','deposit','case_escrow','court_costs','creditor','debtor_surplus')),
	CONSTRAINT "ledger_accounts_balances_check" CHECK ("ledger_accounts"."debits_pending_fen" >= 0 and "ledger_accounts"."debits_posted_fen" >= 0 and "ledger_accounts"."credits_pending_fen" >= 0 and "ledger_accounts"."credits_posted_fen" >= 0),
	CONSTRAINT "ledger_accounts_debits_must_not_exceed_credits" CHECK (not "ledger_accounts"."debits_must_not_exceed_credits" or "ledger_accounts"."debits_posted_fen" + "ledger_accounts"."debits_pending_fen" <= "ledger_accounts"."credits_posted_fen"),
	CONSTRAINT "ledger_accounts_credits_must_not_exceed_debits" CHECK (not "ledger_accounts"."credits_must_not_exceed_debits" or "ledger_accounts"."credits_posted_fen" + "ledger_accounts"."credits_pending_fen" <= "ledger_accounts"."debits_posted_fen")
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"debit_account_id" uuid NOT NULL,
	"credit_account_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"pending_id" uuid,
	"purpose" text NOT NULL,
	"case_id" uuid,
	"lot_id" uuid,
	"payment_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_transfers_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "ledger_transfers_amount_check" CHECK ("ledger_transfers"."amount_fen" > 0),
	CONSTRAINT "ledger_transfers_accounts_check" CHECK ("ledger_transfers"."debit_account_id" <> "ledger_transfers"."credit_account_id"),
	CONSTRAINT "ledger_transfers_kind_check" CHECK ("ledger_transfers"."kind" in ('posted','pending','post','void')),
	CONSTRAINT "ledger_transfers_pending_check" CHECK (("ledger_transfers"."kind" in ('post','void')) = ("ledger_transfers"."pending_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "money_out" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"gateway" text NOT NULL,
	"payment_id" uuid,
	"distribution_line_id" uuid,
	"case_id" uuid,
	"amount_fen" bigint NOT NULL,
	"payee_name" text NOT NULL,
	"status" text NOT NULL,
	"provider_ref" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"failure_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "money_out_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "money_out_amount_check" CHECK ("money_out"."amount_fen" > 0),
	CONSTRAINT "money_out_status_check" CHECK ("money_out"."status" in ('pending','sent','succeeded','failed'))
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"gateway" text NOT NULL,
	"registration_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"amount_fen" bigint NOT NULL,
	"status" text NOT NULL,
	"provider_ref" text,
	"payer_name" text,
	"holder_name" text,
	"failure_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "payments_provider_ref_unique" UNIQUE("provider_ref"),
	CONSTRAINT "payments_amount_check" CHECK ("payments"."amount_fen" > 0),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('created','requires_action','processing','succeeded','failed','refused'))
);
--> statement-breakpoint
CREATE TABLE "sim_charges" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"reference" text NOT NULL,
	"status" text NOT NULL,
	"card_last4" text,
	"holder_name" text,
	"failure_code" text,
	"return_url" text NOT NULL,
	"refunded_fen" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sim_charges_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "sim_charges_amount_check" CHECK ("sim_charges"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "sim_transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"charge_id" text,
	"amount_fen" bigint NOT NULL,
	"payee_name" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sim_transfers_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "sim_transfers_amount_check" CHECK ("sim_transfers"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "sim_webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"deliver_after" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lot_defaults" ADD CONSTRAINT "lot_defaults_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_defaults" ADD CONSTRAINT "lot_defaults_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_defaults" ADD CONSTRAINT "lot_defaults_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balances_due" ADD CONSTRAINT "balances_due_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balances_due" ADD CONSTRAINT "balances_due_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balances_due" ADD CONSTRAINT "balances_due_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "balances_due" ADD CONSTRAINT "balances_due_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposit_outcomes" ADD CONSTRAINT "deposit_outcomes_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposit_outcomes" ADD CONSTRAINT "deposit_outcomes_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distribution_lines" ADD CONSTRAINT "distribution_lines_distribution_id_distributions_id_fk" FOREIGN KEY ("distribution_id") REFERENCES "public"."distributions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distribution_lines" ADD CONSTRAINT "distribution_lines_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distributions" ADD CONSTRAINT "distributions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distributions" ADD CONSTRAINT "distributions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "distributions" ADD CONSTRAINT "distributions_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_party_id_case_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."case_parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_debit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_credit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "money_out" ADD CONSTRAINT "money_out_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "money_out" ADD CONSTRAINT "money_out_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_registration_id_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registrations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deposit_outcomes_lot_idx" ON "deposit_outcomes" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "distributions_case_idx" ON "distributions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "ledger_accounts_case_idx" ON "ledger_accounts" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_case_idx" ON "ledger_transfers" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" USING btree ("debit_account_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" USING btree ("credit_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_pending_once" ON "ledger_transfers" USING btree ("pending_id") WHERE pending_id is not null;--> statement-breakpoint
CREATE INDEX "money_out_status_idx" ON "money_out" USING btree ("status");--> statement-breakpoint
CREATE INDEX "payments_registration_idx" ON "payments" USING btree ("registration_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_open_once" ON "payments" USING btree ("registration_id","kind") WHERE status in ('created','requires_action','processing','succeeded');--> statement-breakpoint
CREATE INDEX "sim_webhooks_due_idx" ON "sim_webhooks" USING btree ("deliver_after") WHERE delivered_at is null;--> statement-breakpoint
-- The ledger (ADR 019). Transfers are immutable: corrections are new transfers (P14).
CREATE FUNCTION ledger_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_transfers is append-only' USING ERRCODE = 'check_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_update_delete BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_transfers_immutable();
--> statement-breakpoint
-- An account's balances are the sum of its transfers: only the trigger below writes them (it sets
-- ledger.applying for its own updates), and an account is never deleted.
CREATE FUNCTION ledger_accounts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ledger_accounts are never deleted' USING ERRCODE = 'check_violation';
  END IF;
  IF coalesce(current_setting('ledger.applying', true), '') <> 'on' AND (
       NEW.debits_pending_fen IS DISTINCT FROM OLD.debits_pending_fen OR NEW.debits_posted_fen IS DISTINCT FROM OLD.debits_posted_fen OR
       NEW.credits_pending_fen IS DISTINCT FROM OLD.credits_pending_fen OR NEW.credits_posted_fen IS DISTINCT FROM OLD.credits_posted_fen OR
       NEW.kind IS DISTINCT FROM OLD.kind OR NEW.key IS DISTINCT FROM OLD.key OR
       NEW.debits_must_not_exceed_credits IS DISTINCT FROM OLD.debits_must_not_exceed_credits OR
       NEW.credits_must_not_exceed_debits IS DISTINCT FROM OLD.credits_must_not_exceed_debits) THEN
    RAISE EXCEPTION 'ledger account balances change only through transfers' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_accounts_guard BEFORE UPDATE OR DELETE ON ledger_accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_accounts_guard();
--> statement-breakpoint
-- Applies a transfer to its two accounts, locked in id order (DESIGN §4: ledger accounts in id order). A post or void
-- must match its pending transfer exactly (same accounts, same amount), or the ledger would no longer balance.
CREATE FUNCTION ledger_apply_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  p ledger_transfers%ROWTYPE;
BEGIN
  -- FOR NO KEY UPDATE, the lock the balance updates take anyway: the transfer's own foreign keys hold FOR KEY SHARE on
  -- both accounts, which FOR UPDATE would wait on (two transfers on the clearing account would deadlock).
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
--> statement-breakpoint
CREATE TRIGGER ledger_apply_transfer AFTER INSERT ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_transfer();
