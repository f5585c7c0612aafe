-- ADR 021: a committing transaction never waits for the audit chain. Its first deferred trigger tries the chain's
-- lock (key 4242002): when it gets it, it chains every event it can see (its own, in the order it inserted them,
-- and those that transactions which found the lock taken left pending when they committed), holding the lock
-- through its commit as before; when it does not, it commits at once and its events stay pending until the next
-- chaining. audit_chain_sweep() (each node's timer, and every reader of the chain) waits for the lock and chains
-- what is left.
CREATE FUNCTION audit_chain_visible() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  r record;
  chained bigint[] := '{}';
BEGIN
  SELECT seq, hash INTO last_seq, last_hash FROM audit_events ORDER BY seq DESC LIMIT 1;
  last_seq := coalesce(last_seq, 0);
  last_hash := coalesce(last_hash, repeat('0', 64));
  FOR r IN SELECT * FROM audit_pending ORDER BY id LOOP
    last_seq := last_seq + 1;
    INSERT INTO audit_events (seq, occurred_at, actor_id, action, entity_type, entity_id, data, prev_hash, hash)
    VALUES (last_seq, r.occurred_at, r.actor_id, r.action, r.entity_type, r.entity_id, r.data, last_hash,
      encode(sha256(convert_to(r.body || last_hash || '","seq":"' || last_seq::text || '"}', 'UTF8')), 'hex'))
    RETURNING hash INTO last_hash;
    chained := chained || r.id;
  END LOOP;
  DELETE FROM audit_pending WHERE id = ANY (chained);
  RETURN cardinality(chained);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION audit_chain_sweep() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4242002);
  RETURN audit_chain_visible();
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_chain_pending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Already chained with an earlier event of this transaction, or withdrawn before the commit.
  PERFORM 1 FROM audit_pending WHERE id = NEW.id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF pg_try_advisory_xact_lock(4242002) THEN
    PERFORM audit_chain_visible();
  END IF;
  RETURN NULL;
END;
$$;
