import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/court.distribution";
import { approveDistribution, caseDistributions, distributionDraftSchema, draftDistribution } from "../../escrow/index.ts";
import { can } from "../../identity/index.ts";
import { toChineseCapital, parseYuan } from "../../core/money.ts";
import { parseInput, type FieldErrors } from "../../core/validation.ts";
import { DateTime, Money, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { EscrowSummary } from "../components/escrow.tsx";
import { DataTable } from "../components/data-table.tsx";
import { failureFor, Input, MoneyInput, ProblemSummary } from "../components/form-fields.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, readForm, refusal } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("distribution.title", (d) => d.theCase.caseNumber);

/** Rows the draft form offers for costs and for creditors who are not parties of the case. */
const COST_ROWS = 3;
const OTHER_ROWS = 3;

/** Court staff: the case's escrow and its distribution; the judge drafts, confirms and approves it (H3, H8). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const caseId = pageId(params.caseId);
  try {
    const { db, paymentGateway } = services(context);
    const view = await caseDistributions(db, user, caseId);
    const search = new URL(request.url).searchParams;
    return {
      ...toPlain(view),
      canDistribute: can(user, "escrow.distribute", { courtId: view.theCase.courtId }),
      confirming: search.get("confirm"),
      done: search.get("done"),
      simulated: paymentGateway.simulated,
    };
  } catch (error) {
    throw asPageError(error);
  }
}

/** The draft form's fields as the use case's input, each schema path mapped back to the field that typed it. */
function draftFromForm(values: Record<string, string>, applicantIds: string[]) {
  const fieldOf: Record<string, string> = {};
  const errors: FieldErrors = {};
  const fen = (field: string) => {
    try {
      return parseYuan(values[field] ?? "").toString();
    } catch {
      errors[field] = "validation.amountYuan";
      return "";
    }
  };
  const filled = (...fields: string[]) => fields.some((f) => (values[f] ?? "").trim() !== "");
  const costs: Record<string, unknown>[] = [];
  for (let i = 0; i < COST_ROWS; i++) {
    if (!filled(`costName${i}`, `costAmount${i}`)) continue;
    Object.assign(fieldOf, { [`costs.${costs.length}.name`]: `costName${i}`, [`costs.${costs.length}.claimFen`]: `costAmount${i}` });
    costs.push({ name: values[`costName${i}`], claimFen: fen(`costAmount${i}`) });
  }
  const creditors: Record<string, unknown>[] = [];
  const rank = (field: string) => ((values[field] ?? "").trim() === "" ? undefined : /^\d{1,2}$/.test(values[field]!.trim()) ? Number(values[field]) : ((errors[field] = "validation.invalid"), undefined));
  applicantIds.forEach((partyId, i) => {
    if (!filled(`partyClaim${i}`)) return;
    Object.assign(fieldOf, { [`creditors.${creditors.length}.claimFen`]: `partyClaim${i}`, [`creditors.${creditors.length}.securedRank`]: `partyRank${i}` });
    creditors.push({ partyId, claimFen: fen(`partyClaim${i}`), securedRank: rank(`partyRank${i}`) });
  });
  for (let i = 0; i < OTHER_ROWS; i++) {
    if (!filled(`otherName${i}`, `otherClaim${i}`)) continue;
    const n = creditors.length;
    Object.assign(fieldOf, { [`creditors.${n}.name`]: `otherName${i}`, [`creditors.${n}.claimFen`]: `otherClaim${i}`, [`creditors.${n}.securedRank`]: `otherRank${i}` });
    creditors.push({ name: values[`otherName${i}`], claimFen: fen(`otherClaim${i}`), securedRank: rank(`otherRank${i}`) });
  }
  return { input: { costs, creditors }, fieldOf, errors };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requirePageUser(request, context, "cases.manage");
  const caseId = pageId(params.caseId);
  const { db, clock, paymentGateway } = services(context);
  const values = formValues(await readForm(request));
  const formFields = Object.keys(values);
  if (values.intent === "approve") {
    try {
      await approveDistribution(db, clock, user, caseId, pageId(values.distributionId), paymentGateway.id);
    } catch (error) {
      return refusal(error, "approve", values, { formFields: [] });
    }
    return redirect(`/court/cases/${caseId}/distribution?done=approved`);
  }
  if (values.intent !== "draft") return formFailure("none", values, {}, ["validation.invalid"], 400);
  let applicantIds: string[];
  try {
    applicantIds = (await caseDistributions(db, user, caseId)).claimants.map((a) => a.id);
  } catch (error) {
    throw asPageError(error);
  }
  const { input, fieldOf, errors } = draftFromForm(values, applicantIds);
  const parsed = parseInput(distributionDraftSchema, input);
  if (!parsed.ok || Object.keys(errors).length > 0) {
    const fields: FieldErrors = { ...errors };
    if (!parsed.ok) for (const [path, message] of Object.entries(parsed.fields)) fields[fieldOf[path] ?? "_form"] ??= message;
    return formFailure("draft", values, fields, [], 400);
  }
  try {
    await draftDistribution(db, clock, user, caseId, parsed.data);
  } catch (error) {
    return refusal(error, "draft", values, { formFields });
  }
  return redirect(`/court/cases/${caseId}/distribution?done=drafted#allocation`);
}

type View = Route.ComponentProps["loaderData"];
type Plan = View["distributions"][number];

const PAYOUT_STATUS: Record<string, string> = { pending: "distribution.payout.pending", sent: "distribution.payout.sent", succeeded: "distribution.payout.paid", failed: "distribution.payout.failed" };

export default function CourtDistribution({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { theCase, escrow, balanceStillDue, distributions, canDistribute, confirming, done, simulated } = loaderData;
  const draft = distributions.find((d) => d.status === "draft") ?? null;
  const settled = distributions.filter((d) => d.status !== "draft");
  const failure = failureFor(actionData, "draft") ?? failureFor(actionData, "approve") ?? failureFor(actionData, "none");
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/court/cases">{t("court.cases.title")}</Link> › <Link to={`/court/cases/${theCase.id}`}>{theCase.caseNumber}</Link>
      </p>
      <span className="caption">{theCase.caseNumber}</span>
      <h1>{t("distribution.title")}</h1>
      {done === "drafted" && <SuccessBanner>{t("distribution.drafted")}</SuccessBanner>}
      {done === "approved" && <SuccessBanner>{t("distribution.approved")}</SuccessBanner>}
      {simulated && <p className="demo-notice">{t("distribution.simulatedNotice")}</p>}
      <ProblemSummary failure={failure} labels={draftLabels(failure?.fields ?? {})} />
      <EscrowSummary escrow={escrow} />
      {balanceStillDue && <p className="inset-text">{t("distribution.balanceStillDue")}</p>}
      {draft && <DraftPlan plan={draft} canApprove={canDistribute} confirming={confirming === draft.id} caseId={theCase.id} />}
      {canDistribute && BigInt(escrow.heldFen) > 0n && !balanceStillDue && <DraftForm claimants={loaderData.claimants} failure={failureFor(actionData, "draft")} replacing={Boolean(draft)} />}
      {!canDistribute && !draft && settled.length === 0 && <p>{t("distribution.judgesOnly")}</p>}
      {settled.map((d) => (
        <ApprovedPlan key={d.id} plan={d} />
      ))}
    </div>
  );
}

const FIELD_LABELS: Record<string, string> = {
  costName: "distribution.field.costName",
  costAmount: "distribution.field.costAmount",
  partyClaim: "distribution.field.partyClaim",
  partyRank: "distribution.field.partyRank",
  otherName: "distribution.field.otherName",
  otherClaim: "distribution.field.otherClaim",
  otherRank: "distribution.field.otherRank",
};

/** The error summary's labels for the draft form's numbered fields. */
function draftLabels(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(fields).map((f) => [f, FIELD_LABELS[f.replace(/\d+$/, "")] ?? "form.errorSummary"]));
}

const KIND_LABELS: Record<string, string> = {
  court_costs: "distribution.kind.court_costs",
  advanced_costs: "distribution.kind.advanced_costs",
  secured_creditor: "distribution.kind.secured_creditor",
  creditor: "distribution.kind.creditor",
  debtor_surplus: "distribution.kind.debtor_surplus",
};

function payeeLabel(t: (key: string) => string, line: Plan["lines"][number]) {
  return line.payeeKind === "secured_creditor" ? `${t(KIND_LABELS.secured_creditor!)} ${line.rank}` : t(KIND_LABELS[line.payeeKind]!);
}

function Lines({ plan, withPayouts }: { plan: Plan; withPayouts: boolean }) {
  const { t } = useTranslation();
  return (
    <DataTable
      rows={plan.lines}
      rowKey={(l) => l.id}
      testId={withPayouts ? "payouts" : "allocation"}
      empty={null}
      columns={[
        { header: "distribution.payee", cell: (l) => l.payeeName },
        { header: "distribution.kindHeader", cell: (l) => payeeLabel(t, l) },
        { header: "distribution.claim", numeric: true, cell: (l) => (l.payeeKind === "debtor_surplus" ? "—" : <Money fen={l.claimFen} />) },
        { header: "distribution.amount", numeric: true, cell: (l) => <Money fen={l.amountFen} /> },
        ...(withPayouts
          ? [
              {
                header: "distribution.payoutHeader",
                cell: (l: Plan["lines"][number]) =>
                  l.payout ? (
                    <span data-testid="payout-status" data-status={l.payout.status}>
                      {t(PAYOUT_STATUS[l.payout.status]!)} · <DateTime iso={l.payout.updatedAt} />
                    </span>
                  ) : (
                    t("distribution.payout.none")
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}

function DraftPlan({ plan, canApprove, confirming, caseId }: { plan: Plan; canApprove: boolean; confirming: boolean; caseId: string }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="allocation" className="form-section">
      <h2 id="allocation">{t("distribution.draftHeading")}</h2>
      <p>
        {t("distribution.draftLead")} <DateTime iso={plan.createdAt} />
      </p>
      <Lines plan={plan} withPayouts={false} />
      <p>
        {t("distribution.total")} <Money fen={plan.totalFen} />
      </p>
      {canApprove &&
        (confirming ? (
          <div className="inset-text" data-testid="approve-confirmation">
            <h3>{t("distribution.confirmHeading")}</h3>
            <p>{t("distribution.confirmLead")}</p>
            <SummaryList
              rows={[
                ["distribution.totalFigures", <Money fen={plan.totalFen} key="f" />],
                ["distribution.totalCapital", <span key="c">{toChineseCapital(BigInt(plan.totalFen))}</span>],
              ]}
            />
            <Form method="post">
              <input type="hidden" name="intent" value="approve" />
              <input type="hidden" name="distributionId" value={plan.id} />
              <button type="submit" className="button" disabled={busy}>
                {t("distribution.confirmApprove")}
              </button>{" "}
              <Link to={`/court/cases/${caseId}/distribution`}>{t("distribution.cancel")}</Link>
            </Form>
          </div>
        ) : (
          <Link className="button" to={`/court/cases/${caseId}/distribution?confirm=${plan.id}#allocation`}>
            {t("distribution.approve")}
          </Link>
        ))}
    </section>
  );
}

function ApprovedPlan({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  return (
    <section className="form-section" data-testid="approved-distribution" data-status={plan.status}>
      <h2>{plan.status === "paid" ? t("distribution.paidHeading") : t("distribution.approvedHeading")}</h2>
      <SummaryList
        rows={[
          ["distribution.approvedAt", <DateTime iso={plan.approvedAt} key="a" />],
          ["distribution.payBy", <DateTime iso={plan.payBy} key="p" />],
          ["distribution.total", <Money fen={plan.totalFen} key="t" />],
        ]}
      />
      <Lines plan={plan} withPayouts />
    </section>
  );
}

function DraftForm({ claimants, failure, replacing }: { claimants: View["claimants"]; failure: ReturnType<typeof failureFor>; replacing: boolean }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const v = (name: string, fallback = "") => failure?.values[name] ?? fallback;
  const yuan = (fen: string | null) => (fen ? `${BigInt(fen) / 100n}.${(BigInt(fen) % 100n).toString().padStart(2, "0")}` : "");
  return (
    <section aria-labelledby="draft-form" className="form-section">
      <h2 id="draft-form">{replacing ? t("distribution.redraftHeading") : t("distribution.formHeading")}</h2>
      <p>{t("distribution.formLead")}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="draft" />
        <h3>{t("distribution.costsHeading")}</h3>
        <p className="hint">{t("distribution.costsHint")}</p>
        {Array.from({ length: COST_ROWS }, (_, i) => (
          <fieldset key={`cost${i}`} className="fieldset">
            <Input name={`costName${i}`} label="distribution.field.costName" defaultValue={v(`costName${i}`)} error={failure?.fields[`costName${i}`]} maxLength={100} />
            <MoneyInput name={`costAmount${i}`} label="distribution.field.costAmount" defaultValue={v(`costAmount${i}`)} error={failure?.fields[`costAmount${i}`]} />
          </fieldset>
        ))}
        <h3>{t("distribution.applicantsHeading")}</h3>
        <p className="hint">{t("distribution.rankHint")}</p>
        {claimants.map((a, i) => (
          <fieldset key={a.id} className="fieldset">
            <legend>{a.name}</legend>
            <MoneyInput name={`partyClaim${i}`} label="distribution.field.partyClaim" defaultValue={v(`partyClaim${i}`, yuan(a.claimFen))} error={failure?.fields[`partyClaim${i}`]} />
            <Input name={`partyRank${i}`} label="distribution.field.partyRank" defaultValue={v(`partyRank${i}`)} error={failure?.fields[`partyRank${i}`]} inputMode="numeric" maxLength={2} width="short" />
          </fieldset>
        ))}
        <h3>{t("distribution.othersHeading")}</h3>
        {Array.from({ length: OTHER_ROWS }, (_, i) => (
          <fieldset key={`other${i}`} className="fieldset">
            <Input name={`otherName${i}`} label="distribution.field.otherName" defaultValue={v(`otherName${i}`)} error={failure?.fields[`otherName${i}`]} maxLength={100} />
            <MoneyInput name={`otherClaim${i}`} label="distribution.field.otherClaim" defaultValue={v(`otherClaim${i}`)} error={failure?.fields[`otherClaim${i}`]} />
            <Input name={`otherRank${i}`} label="distribution.field.otherRank" defaultValue={v(`otherRank${i}`)} error={failure?.fields[`otherRank${i}`]} inputMode="numeric" maxLength={2} width="short" />
          </fieldset>
        ))}
        <button type="submit" className="button" disabled={busy}>
          {t("distribution.submitDraft")}
        </button>
      </Form>
    </section>
  );
}
