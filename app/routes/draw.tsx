import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Form, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/draw";
import { addEntropy, drawContext, ENTROPY_MAX_LENGTH, isDrawAlgorithm, partyOf, publicDraw, verifyDraw } from "../../appraisal/index.ts";
import { CN_SPC_2016 } from "../../core/ruleset.ts";
import { can } from "../../identity/index.ts";
import { DateTime, Remaining, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { Hash } from "../components/appraisal.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, Input, ProblemSummary } from "../components/form-fields.tsx";
import { asPageError, currentUser, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { recomputeDraw } from "../lib/recompute-draw.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("draw.title", (d) => d.context.caseNumber);

const CHECKS = {
  seedMatchesCommitment: "draw.verify.seed",
  listMatchesHash: "draw.verify.list",
  resultMatches: "draw.verify.result",
  rankingsMatch: "draw.verify.rankings",
} as const;

/**
 * The public draw of three appraisal agencies (A13, A27, P6), for anyone, signed in or not. Before the draw:
 * the canonical eligible list, its SHA-256, the seed's SHA-256 (the commitment), the cut-off in server
 * time and the parties' contributions — and, for a party, the form to add its own. After: the ranking,
 * the revealed seed, and the server's recomputation check by check.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const drawId = pageId(params.drawId);
  const { db, clock } = services(context);
  try {
    const draw = await publicDraw(db, drawId);
    const where = await drawContext(db, draw.procedureId);
    const verdict = draw.drawnAt ? await verifyDraw(db, drawId) : null;
    const user = currentUser(context);
    // The form is offered to whoever addEntropy would accept: a party of the case.
    const party = user && can(user, "cases.party") ? await partyOf(db, user, where.caseId) : null;
    const now = clock.now();
    // A24: while the procedure is suspended the draw takes no entropy and does not run; its time moves on resumption.
    const suspended = draw.drawnAt === null && where.procedureStatus === "suspended";
    const open = draw.drawnAt === null && !suspended && now.getTime() < draw.entropyCutoffAt.getTime();
    const given = party ? draw.entropy.some((e) => e.partyId === party.id) : false;
    const url = new URL(request.url);
    return {
      draw: toPlain(draw),
      context: { caseNumber: where.caseNumber, courtName: where.courtName, assetTitle: where.assetTitle },
      verdict: verdict && { matches: verdict.matches, checks: verdict.checks, recomputed: verdict.recomputed },
      now: now.toISOString(),
      open,
      suspended,
      party: party ? { role: party.role, given } : null,
      size: CN_SPC_2016.drawSize,
      knownAlgorithm: isDrawAlgorithm(draw.algorithm),
      maxLength: ENTROPY_MAX_LENGTH,
      added: url.searchParams.get("done") === "entropy",
    };
  } catch (error) {
    throw asPageError(error);
  }
}

/** A party adds its entropy before the cut-off (P6), once per party. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.party");
  const drawId = pageId(params.drawId);
  const values = formValues(await readForm(request), ENTROPY_MAX_LENGTH * 4);
  if ((values.value ?? "").trim() === "") return formFailure("entropy", values, { value: "validation.required" }, [], 400);
  const { db, clock } = services(context);
  try {
    await addEntropy(db, clock, user, drawId, values.value);
  } catch (error) {
    return refusal(error, "entropy", values, { formFields: ["value"] });
  }
  return redirect(`/draws/${drawId}?done=entropy#entropy`);
}

export default function DrawPage({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const { draw, context, verdict, now, open, suspended, party, size, knownAlgorithm, maxLength, added } = loaderData;
  // A24: the cut-off first announced, when suspensions of the procedure moved it.
  const firstCutoff = draw.entropyCutoffMovedMs > 0 ? new Date(new Date(draw.entropyCutoffAt).getTime() - draw.entropyCutoffMovedMs).toISOString() : null;
  const failure = failureFor(actionData, "entropy");
  const drawn = draw.drawnAt !== null;
  return (
    <div data-testid="draw-page" data-drawn={drawn ? "yes" : "no"}>
      <span className="caption">{t("draw.caption")}</span>
      <h1>{t("draw.title")}</h1>
      {added && <SuccessBanner>{t("draw.added")}</SuccessBanner>}
      <ProblemSummary failure={failure} labels={{ value: "draw.entropy.value" }} />
      <SummaryList
        testId="draw-facts"
        rows={[
          ["draw.case", context.caseNumber],
          ["draw.court", context.courtName],
          ["draw.asset", context.assetTitle],
          ["draw.scope", draw.regionCode ?? t("draw.wholeLibrary")],
          ["draw.openedAt", <DateTime iso={draw.openedAt} seconds key="o" />],
          ["draw.cutoff", <DateTime iso={draw.entropyCutoffAt} seconds key="c" />],
          ["draw.firstCutoff", firstCutoff ? <DateTime iso={firstCutoff} seconds key="f" /> : null],
          ["draw.serverTime", <DateTime iso={now} seconds key="n" />],
          ["draw.status", drawn ? t("draw.statusDrawn") : suspended ? t("draw.statusSuspended") : open ? t("draw.statusOpen") : t("draw.statusDue")],
        ]}
      />
      {suspended && (
        <p className="inset-text" data-testid="draw-suspended">
          {t("draw.suspended")}
        </p>
      )}
      {firstCutoff && !drawn && (
        <p className="inset-text" data-testid="draw-rescheduled">
          {t("draw.rescheduled")}
        </p>
      )}
      {open && (
        <p className="inset-text">
          {t("draw.remaining")} <Remaining from={now} to={draw.entropyCutoffAt} />
        </p>
      )}

      {drawn && draw.ranking && (
        <section aria-labelledby="result" className="result-panel" data-testid="draw-result">
          <h2 id="result">{t("draw.result")}</h2>
          <ol>
            {draw.ranking.map((r) => (
              <li key={r.agencyId} data-agency-id={r.agencyId}>
                <strong>{r.name}</strong> <span className="hint">{r.creditCode}</span>
              </li>
            ))}
          </ol>
          <p>
            {t("draw.drawnAt")} <DateTime iso={draw.drawnAt!} seconds />
          </p>
        </section>
      )}

      {verdict && (
        <section aria-labelledby="verify" className="form-section" data-testid="verification" data-matches={verdict.matches ? "yes" : "no"}>
          <h2 id="verify">{t("draw.verify.title")}</h2>
          <p className={verdict.matches ? "notification notification--success" : "error-summary"} data-testid="verdict">
            {verdict.matches ? `✓ ${t("draw.verify.matches")}` : `✗ ${t("draw.verify.mismatch")}`}
          </p>
          <ul className="plain-list">
            {Object.entries(CHECKS).map(([check, key]) => {
              const ok = verdict.checks[check as keyof typeof CHECKS];
              return (
                <li key={check} data-check={check} data-ok={ok ? "yes" : "no"}>
                  <span aria-hidden="true">{ok ? "✓" : "✗"}</span> {t(key)}: {t(ok ? "draw.verify.ok" : "draw.verify.failed")}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      <section aria-labelledby="commitments" className="form-section">
        <h2 id="commitments">{t("draw.commitments")}</h2>
        <p className="hint">{t("draw.commitmentsLead")}</p>
        <SummaryList
          rows={[
            ["draw.listSha256", <Hash value={draw.eligibleSha256} testId="list-sha256" key="l" />],
            ["draw.seedSha256", <Hash value={draw.seedSha256} testId="seed-sha256" key="s" />],
            ["draw.seed", draw.seed ? <Hash value={draw.seed} testId="seed" key="d" /> : t("draw.seedSecret")],
            ["draw.algorithm", <code key="a">{draw.algorithm}</code>],
          ]}
        />
      </section>

      <section aria-labelledby="eligible" className="form-section">
        <h2 id="eligible">{t("draw.eligible")}</h2>
        <p className="hint">{t("draw.eligibleLead")}</p>
        {draw.tickets && <p className="hint">{t("draw.rotationLead")}</p>}
        <DataTable
          rows={draw.eligible}
          rowKey={(a) => a.agencyId}
          rowData={(a) => ({ "data-agency-id": a.agencyId })}
          testId="eligible-list"
          columns={[
            { header: "draw.number", numeric: true, cell: (_, i) => i + 1 },
            { header: "draw.creditCode", cell: (a) => <code>{a.creditCode}</code> },
            { header: "draw.agencyName", className: "name-cell", cell: (a) => a.name },
            // Rotation counts and tickets exist only for draws made with the rotation algorithm.
            !!draw.tickets && { header: "draw.rotationCount", numeric: true, cell: (a) => a.rotationCount ?? "—" },
            !!draw.tickets && { header: "draw.tickets", numeric: true, cell: (_, i) => draw.tickets?.[i] },
            { header: "draw.agencyId", cell: (a) => <code className="hint">{a.agencyId}</code> },
          ]}
        />
      </section>

      <section aria-labelledby="entropy" className="form-section">
        <h2 id="entropy">{t("draw.entropy.title")}</h2>
        <p className="hint">{t("draw.entropy.lead")}</p>
        <DataTable
          rows={draw.entropy}
          rowKey={(e) => e.partyId}
          testId="entropy-list"
          empty={<p data-testid="no-entropy">{t("draw.entropy.none")}</p>}
          columns={[
            {
              header: "draw.entropy.party",
              cell: (e) => (
                <>
                  {t(e.partyRole === "applicant" ? "partyRole.applicant" : "partyRole.debtor")}
                  <br />
                  <code className="hint">{e.partyId}</code>
                </>
              ),
            },
            { header: "draw.entropy.value", cell: (e) => <code>{e.value}</code> },
            { header: "draw.entropy.at", cell: (e) => <DateTime iso={e.submittedAt} seconds /> },
          ]}
        />
        {party && open && !party.given && (
          <Form method="post" noValidate className="narrow" data-testid="entropy-form">
            <h3>{t("draw.entropy.add")}</h3>
            <Input name="value" label="draw.entropy.value" defaultValue={failure?.values.value} error={failure?.fields.value} maxLength={maxLength} hint={t("draw.entropy.hint")} />
            <button type="submit" className="button" disabled={busy}>
              {t("draw.entropy.submit")}
            </button>
          </Form>
        )}
        {party && party.given && <p data-testid="entropy-given">{t("draw.entropy.given")}</p>}
        {!party && open && <p className="hint">{t("draw.entropy.partiesOnly")}</p>}
      </section>

      <section aria-labelledby="yourself" className="form-section" data-testid="recompute-yourself">
        <h2 id="yourself">{t("draw.yourself.title")}</h2>
        <p>{t("draw.yourself.lead")}</p>
        <pre className="prose">
          <code>npm run draw:verify -- {draw.drawId}</code>
        </pre>
        <p>
          {t("draw.yourself.adr")} <code>docs/decisions/009-verifiable-draw.md</code> · {t("draw.yourself.json")}{" "}
          <a href={`/api/v1/draws/${draw.drawId}`}>
            <code>/api/v1/draws/{draw.drawId}</code>
          </a>
        </p>
        {drawn && draw.seed && draw.result && knownAlgorithm && (
          <BrowserCheck inputs={{ algorithm: draw.algorithm, seedHex: draw.seed, entropy: draw.entropy.map((e) => ({ partyId: e.partyId, value: e.value })), eligible: draw.eligible, size }} expected={{ list: draw.eligibleSha256, seed: draw.seedSha256, ranking: draw.result }} />
        )}
      </section>
    </div>
  );
}

/** P6, optional: the same recomputation in this browser (Web Crypto), from the values on this page. */
function BrowserCheck({ inputs, expected }: { inputs: Parameters<typeof recomputeDraw>[0]; expected: { list: string; seed: string; ranking: string[] } }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"idle" | "working" | "match" | "mismatch" | "unavailable">("idle");
  // Only with JavaScript running: without it the button could do nothing.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const run = async () => {
    if (typeof crypto === "undefined" || !crypto.subtle) return setState("unavailable");
    setState("working");
    try {
      const r = await recomputeDraw(inputs);
      const ok = r.listSha256 === expected.list && r.seedSha256 === expected.seed && r.ranking.length === expected.ranking.length && r.ranking.every((id, i) => id === expected.ranking[i]);
      setState(ok ? "match" : "mismatch");
    } catch {
      setState("unavailable");
    }
  };
  if (!ready) return null;
  return (
    <div data-testid="browser-check" data-state={state}>
      <button type="button" className="button button--secondary" onClick={() => void run()} disabled={state === "working"}>
        {t("draw.browser.run")}
      </button>
      <p role="status">
        {state === "match" && `✓ ${t("draw.browser.match")}`}
        {state === "mismatch" && `✗ ${t("draw.browser.mismatch")}`}
        {state === "unavailable" && t("draw.browser.unavailable")}
      </p>
    </div>
  );
}
