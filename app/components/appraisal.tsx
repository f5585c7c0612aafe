import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigation } from "react-router";
import { DateTime, Due, Money, Prose } from "./auction.tsx";
import { DataTable } from "./data-table.tsx";
import { articleText, splitCitation } from "../lib/legal-basis.ts";
import { failureFor, FoldedForm, Input, ProblemSummary, Radios, TextArea } from "./form-fields.tsx";

// Pieces shared by the court's, the parties' and the public appraisal pages: labels of the workflow's
// states (as literal message keys, so the dictionaries are checked), deadline tables, hashes.

export const METHOD_LABELS: Record<string, string> = {
  negotiation: "priceMethod.negotiation",
  directed_inquiry: "priceMethod.directed_inquiry",
  online_inquiry: "priceMethod.online_inquiry",
  appraisal: "priceMethod.appraisal",
};

const STATUS_LABELS: Record<string, string> = {
  open: "appraisal.status.open",
  priced: "appraisal.status.priced",
  failed: "appraisal.status.failed",
  suspended: "appraisal.status.suspended",
  withdrawn: "appraisal.status.withdrawn",
};
const STATUS_TAGS: Record<string, string> = { open: "announced", priced: "sold", failed: "failed", suspended: "ended", withdrawn: "draft" };

export const BASIS_KIND_LABELS: Record<string, string> = {
  law_requires: "appraisal.basisKind.law_requires",
  both_parties_ask: "appraisal.basisKind.both_parties_ask",
  online_inquiry_failed: "appraisal.basisKind.online_inquiry_failed",
};

/** Every ground a procedure may be started on: an appraisal's (A11) and an online inquiry's (A5). */
export const GROUND_LABELS: Record<string, string> = {
  ...BASIS_KIND_LABELS,
  directed_inquiry_failed: "appraisal.start.grounds.directed_inquiry_failed",
  parties_jointly_chose: "appraisal.start.grounds.parties_jointly_chose",
};

export const COMMISSION_LABELS: Record<string, string> = {
  offered: "appraisal.commissionStatus.offered",
  accepted: "appraisal.commissionStatus.accepted",
  declined: "appraisal.commissionStatus.declined",
  overdue: "appraisal.commissionStatus.overdue",
  reported: "appraisal.commissionStatus.reported",
  withdrawn: "appraisal.commissionStatus.withdrawn",
};
/** A commission's status as a tag's colour, the same on the court's and the agency's pages. */
export const COMMISSION_TAGS: Record<string, string> = { offered: "announced", accepted: "bidding", reported: "sold", overdue: "failed", declined: "draft", withdrawn: "draft" };

export const OBJECTION_KIND_LABELS: Record<string, string> = {
  procedural: "appraisal.objectionKind.procedural",
  technical: "appraisal.objectionKind.technical",
};
export const OBJECTION_KIND_HINTS: Record<string, string> = {
  procedural: "appraisal.objectionKind.proceduralHint",
  technical: "appraisal.objectionKind.technicalHint",
};
export const OBJECTION_STATUS_LABELS: Record<string, string> = {
  filed: "appraisal.objectionStatus.filed",
  forwarded: "appraisal.objectionStatus.forwarded",
  answered: "appraisal.objectionStatus.answered",
  upheld: "appraisal.objectionStatus.upheld",
  rejected: "appraisal.objectionStatus.rejected",
  technical_review: "appraisal.objectionStatus.technical_review",
};
export const DECISION_LABELS: Record<string, string> = {
  rejected: "appraisal.decision.rejected",
  upheld: "appraisal.decision.upheld",
  technical_review: "appraisal.decision.technical_review",
};

export const SCOPE_LABELS: Record<string, string> = {
  city: "appraisal.draw.scope.city",
  province: "appraisal.draw.scope.province",
  library: "appraisal.draw.scope.library",
};

const END_REASONS: Record<string, string> = {
  priced: "appraisal.endReason.priced",
  needs_new_selection: "appraisal.endReason.needs_new_selection",
  online_inquiry_failed: "appraisal.endReason.online_inquiry_failed",
  negotiation_refused: "appraisal.endReason.negotiation_refused",
};

/** Why a procedure ended: a known reason in words, otherwise the court's own text. */
export function EndReason({ reason }: { reason: string | null }) {
  const { t } = useTranslation();
  if (!reason) return null;
  return <>{END_REASONS[reason] ? t(END_REASONS[reason]) : reason}</>;
}

/**
 * A state of the workflow as a coloured tag: `tags` picks the colour (`otherTag` for a state it does not
 * name), `labels` the words (the raw state when unnamed). The state is also in `data-<attribute>`.
 */
export function StatusTag({
  status,
  tags,
  labels,
  otherTag = "draft",
  attribute = "status",
  testId,
}: {
  status: string;
  tags: Record<string, string>;
  labels: Record<string, string>;
  otherTag?: string;
  attribute?: "status" | "state";
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <strong className={`tag tag--${tags[status] ?? otherTag}`} {...{ [`data-${attribute}`]: status }} data-testid={testId}>
      {labels[status] ? t(labels[status]) : status}
    </strong>
  );
}

/** A procedure's status as a tag (open, priced, failed, suspended, withdrawn). */
export function ProcedureStatusTag({ status }: { status: string }) {
  return <StatusTag status={status} tags={STATUS_TAGS} labels={STATUS_LABELS} testId="procedure-status" />;
}

export function CommissionTag({ status }: { status: string }) {
  return <StatusTag status={status} tags={COMMISSION_TAGS} labels={COMMISSION_LABELS} />;
}

const OBJECTION_TAGS: Record<string, string> = { upheld: "sold", rejected: "draft" };

export function ObjectionTag({ status }: { status: string }) {
  return <StatusTag status={status} tags={OBJECTION_TAGS} labels={OBJECTION_STATUS_LABELS} otherTag="announced" />;
}

/** The law that sets a deadline, in words (no rule IDs); "platform rule" for the platform's own periods. */
export function LegalBasis({ sources }: { sources: readonly string[] }) {
  const { t, i18n } = useTranslation();
  if (sources.length === 0) return <>{t("appraisal.deadline.policy")}</>;
  return (
    <>
      {sources.map((c, i) => {
        const { instrument, article } = splitCitation(c);
        const law = t(`law.${instrument}`);
        return <span key={c}>{(i > 0 ? t("appraisal.deadline.and") : "") + (i18n.language.startsWith("zh") ? `《${law}》${articleText(article, "zh")}` : `${law}, ${articleText(article, "en")}`)}</span>;
      })}
    </>
  );
}

/** One deadline of a procedure (ProcedureDeadline of appraisal/deadlines.ts, as the page receives it). */
export interface DeadlineRow {
  kind: string;
  subject: string | null;
  rule: string;
  sources: readonly string[];
  dueAt: string;
  doneAt: string | null;
  state: "done" | "running" | "overdue" | "paused";
}

const STATE_LABELS: Record<string, string> = {
  done: "appraisal.deadline.state.done",
  running: "appraisal.deadline.state.running",
  overdue: "appraisal.deadline.state.overdue",
  paused: "appraisal.deadline.state.paused",
};
const STATE_TAGS: Record<string, string> = { done: "draft", running: "bidding", overdue: "failed", paused: "ended" };

/** What a deadline is, in words: `appraisal.deadline.<kind>`; a procedure's step is named by its method's rule. */
const STEP_LABELS: Record<string, string> = { A3: "appraisal.deadline.negotiation", A4: "appraisal.deadline.directed" };
function deadlineLabel(d: Pick<DeadlineRow, "kind" | "rule">): string {
  return d.kind === "procedure_step" ? (STEP_LABELS[d.rule] ?? "appraisal.deadline.procedure_step") : `appraisal.deadline.${d.kind}`;
}

/** One procedure's deadlines with their rule, soonest first; overdue ones marked. */
export function DeadlineTable({ items }: { items: DeadlineRow[] }) {
  const { t } = useTranslation();
  return (
    <DataTable
      rows={items}
      rowKey={(d, i) => `${d.kind}-${d.subject ?? ""}-${i}`}
      rowData={(d) => ({ "data-state": d.state, "data-rule": d.rule })}
      testId="procedure-deadlines"
      empty={<p>{t("appraisal.deadline.none")}</p>}
      columns={[
        {
          header: "appraisal.deadline.what",
          cell: (d) => (
            <>
              {t(deadlineLabel(d))}
              {d.subject && <span className="hint"> · {d.subject}</span>}
            </>
          ),
        },
        { header: "appraisal.deadline.rule", cell: (d) => <LegalBasis sources={d.sources} /> },
        { header: "appraisal.deadline.due", cell: (d) => <Due iso={d.dueAt} /> },
        {
          header: "appraisal.deadline.state.title",
          cell: (d) => (
            <>
              <StateTag state={d.state} />
              {d.doneAt && (
                <span className="hint">
                  {" "}
                  <DateTime iso={d.doneAt} />
                </span>
              )}
            </>
          ),
        },
      ]}
    />
  );
}

export function StateTag({ state }: { state: string }) {
  return <StatusTag status={state} tags={STATE_TAGS} labels={STATE_LABELS} attribute="state" />;
}

export interface ProcedureRow {
  id: string;
  method: string;
  status: string;
  startedAt: string;
  endedAt?: string | null;
  lateStart?: boolean;
}

/** An asset's procedures, newest first, each linking to its page. */
export function ProcedureList({ procedures, href }: { procedures: ProcedureRow[]; href: (id: string) => string }) {
  const { t } = useTranslation();
  return (
    <ul className="plain-list" data-testid="procedure-list">
      {procedures.map((p) => (
        <li key={p.id} data-procedure-id={p.id}>
          <Link to={href(p.id)}>{t(METHOD_LABELS[p.method] ?? p.method)}</Link> <ProcedureStatusTag status={p.status} />
          <span className="hint">
            {t("appraisal.procedure.startedAt")} <DateTime iso={p.startedAt} />
            {p.endedAt && (
              <>
                {" · "}
                {t("appraisal.procedure.endedAt")} <DateTime iso={p.endedAt} />
              </>
            )}
          </span>
          {p.lateStart && <strong className="tag tag--failed">{t("appraisal.procedure.lateStart")}</strong>}
        </li>
      ))}
    </ul>
  );
}

/** An objection's grounds, the agency's or platform's answer (A21) and the court's decision (A20), as the court and the parties read them. */
export function ObjectionExchange({ objection: o }: { objection: { grounds: string; answer: string | null; decision: string | null; decisionNote: string | null } }) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        <Prose text={o.grounds} />
      </p>
      {o.answer && (
        <p data-testid="objection-answer">
          {t("appraisal.objection.answer")}: <Prose text={o.answer} />
        </p>
      )}
      {o.decision && (
        <p data-testid="objection-decision">
          {t("appraisal.objection.decided")}: {t(DECISION_LABELS[o.decision] ?? o.decision)}
          {o.decisionNote && <> · {o.decisionNote}</>}
        </p>
      )}
    </>
  );
}

/** A SHA-256 (or seed) in full, unbroken and selectable, with a label for screen readers. */
export function Hash({ value, testId }: { value: string; testId?: string }) {
  return (
    <code className="token" data-testid={testId} translate="no">
      {value}
    </code>
  );
}

export interface ReportRow {
  id: string;
  source: string;
  valuationMethod: string;
  valueFen: string;
  valuationDate: string;
  validUntil: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  submittedAt: string;
  deliveryDueAt: string;
  deliveredAt: string | null;
  objectionDueAt: string | null;
  excluded: boolean;
}

/** A report's facts: who, the value, the method, the validity, the file with its SHA-256 and a download link. */
export function ReportFacts({ report, children }: { report: ReportRow; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="report" data-testid="report" data-report-id={report.id}>
      <h3>
        {report.source} · <Money fen={report.valueFen} className="money--strong" />
        {report.excluded && <strong className="tag tag--failed">{t("appraisal.report.excluded")}</strong>}
      </h3>
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt>{t("appraisal.report.method")}</dt>
          <dd>{report.valuationMethod}</dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("appraisal.report.valuationDate")}</dt>
          <dd>
            <DateTime iso={report.valuationDate} dateOnly />
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("appraisal.report.validUntil")}</dt>
          <dd>
            <DateTime iso={report.validUntil} dateOnly />
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("appraisal.report.submittedAt")}</dt>
          <dd>
            <DateTime iso={report.submittedAt} />
          </dd>
        </div>
        <div className="summary-list__row">
          <dt>{t("appraisal.report.deliveredAt")}</dt>
          <dd>{report.deliveredAt ? <DateTime iso={report.deliveredAt} /> : t("appraisal.report.notDelivered")}</dd>
        </div>
        {report.objectionDueAt && (
          <div className="summary-list__row">
            <dt>{t("appraisal.report.objectionDueAt")}</dt>
            <dd>
              <Due iso={report.objectionDueAt} />
            </dd>
          </div>
        )}
        <div className="summary-list__row">
          <dt>{t("appraisal.report.file")}</dt>
          <dd>
            <a href={`/reports/${report.id}/report.pdf`} data-testid="report-download">
              {t("appraisal.report.download")}
            </a>{" "}
            <span className="hint">
              {report.fileName} (PDF, {Math.max(1, Math.ceil(report.sizeBytes / 1024))} KB)
            </span>
            <br />
            <span className="hint">SHA-256</span> <Hash value={report.sha256} />
          </dd>
        </div>
      </dl>
      {children}
    </div>
  );
}

const START_LABELS: Record<string, string> = {
  n_basis: "appraisal.start.basis",
  n_dueAt: "appraisal.start.negotiationDueAt",
  d_addresseeKind: "appraisal.start.addresseeKind",
  d_addressee: "appraisal.start.addressee",
  d_priceKind: "appraisal.start.priceKind",
  d_dueAt: "appraisal.start.directedDueAt",
  d_basis: "appraisal.start.basis",
  o_ground: "appraisal.start.ground",
  o_basis: "appraisal.start.basis",
  a_basisKind: "appraisal.start.basisKind",
  a_basis: "appraisal.start.basis",
};

/**
 * The asset page's forms to start a reference-price procedure, one per method (A3, A4, A5, A11), each
 * folded away until chosen. Only one procedure runs per asset at a time.
 */
export function StartProcedureForms({ actionData, running, startDueAt, started, judge }: { actionData: unknown; running: boolean; startDueAt: string; started: boolean; judge: boolean }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  const n = failureFor(actionData, "negotiation");
  const d = failureFor(actionData, "directed");
  const o = failureFor(actionData, "online");
  const a = failureFor(actionData, "appraisal");
  if (running)
    return (
      <>
        <ProblemSummary failure={n ?? d ?? o ?? a} labels={START_LABELS} />
        <p className="inset-text">{t("appraisal.asset.running")}</p>
      </>
    );
  const submit = (key: string) => (
    <button type="submit" className="button" disabled={busy}>
      {t(key)}
    </button>
  );
  return (
    <div data-testid="start-procedure">
      {!started && (
        <p className="inset-text" data-testid="start-due">
          {t("appraisal.asset.startDue")} <Due iso={startDueAt} />
        </p>
      )}
      <ProblemSummary failure={n ?? d ?? o ?? a} labels={START_LABELS} />
      {!judge && <p className="hint">{t("appraisal.asset.judgeStarts")}</p>}
      {judge && (
        <FoldedForm summary="appraisal.start.negotiation" open={Boolean(n)} intent="negotiation" testId="start-negotiation">
          <p className="hint">{t("appraisal.start.negotiationLead")}</p>
          <Input name="n_dueAt" type="datetime-local" label={START_LABELS.n_dueAt} defaultValue={n?.values.n_dueAt} error={n?.fields.n_dueAt} width="medium" hint={t("form.beijingTime")} />
          <TextArea name="n_basis" label={START_LABELS.n_basis} defaultValue={n?.values.n_basis} error={n?.fields.n_basis} rows={3} maxLength={1000} hint={t("appraisal.start.basisHint")} />
          {submit("appraisal.start.negotiationSubmit")}
        </FoldedForm>
      )}
      {judge && (
        <FoldedForm summary="appraisal.start.directed" open={Boolean(d)} intent="directed" testId="start-directed">
          <p className="hint">{t("appraisal.start.directedLead")}</p>
          <Radios
            name="d_addresseeKind"
            label={START_LABELS.d_addresseeKind}
            defaultValue={d?.values.d_addresseeKind}
            error={d?.fields.d_addresseeKind}
            options={[
              { value: "tax_authority", label: t("appraisal.start.addresseeKinds.tax_authority") },
              { value: "price_authority", label: t("appraisal.start.addresseeKinds.price_authority") },
            ]}
          />
          <Input name="d_addressee" label={START_LABELS.d_addressee} defaultValue={d?.values.d_addressee} error={d?.fields.d_addressee} maxLength={200} hint={t("appraisal.start.addresseeHint")} />
          <Radios
            name="d_priceKind"
            label={START_LABELS.d_priceKind}
            defaultValue={d?.values.d_priceKind}
            error={d?.fields.d_priceKind}
            options={[
              { value: "tax_base_price", label: t("appraisal.start.priceKinds.tax_base_price") },
              { value: "government_set_price", label: t("appraisal.start.priceKinds.government_set_price") },
              { value: "government_guided_price", label: t("appraisal.start.priceKinds.government_guided_price") },
            ]}
          />
          <Input name="d_dueAt" type="datetime-local" label={START_LABELS.d_dueAt} defaultValue={d?.values.d_dueAt} error={d?.fields.d_dueAt} width="medium" hint={t("form.beijingTime")} />
          <TextArea name="d_basis" label={START_LABELS.d_basis} defaultValue={d?.values.d_basis} error={d?.fields.d_basis} rows={3} maxLength={1000} hint={t("appraisal.start.basisHint")} />
          {submit("appraisal.start.directedSubmit")}
        </FoldedForm>
      )}
      {judge && (
        <FoldedForm summary="appraisal.start.online" open={Boolean(o)} intent="online" testId="start-online">
          <p className="hint">{t("appraisal.start.onlineLead")}</p>
          <Radios
            name="o_ground"
            label={START_LABELS.o_ground}
            defaultValue={o?.values.o_ground}
            error={o?.fields.o_ground}
            options={[
              { value: "directed_inquiry_failed", label: t("appraisal.start.grounds.directed_inquiry_failed") },
              { value: "parties_jointly_chose", label: t("appraisal.start.grounds.parties_jointly_chose") },
            ]}
          />
          <TextArea name="o_basis" label={START_LABELS.o_basis} defaultValue={o?.values.o_basis} error={o?.fields.o_basis} rows={3} maxLength={1000} hint={t("appraisal.start.basisHint")} />
          {submit("appraisal.start.onlineSubmit")}
        </FoldedForm>
      )}
      <FoldedForm summary="appraisal.start.appraisal" open={Boolean(a)} intent="appraisal" testId="start-appraisal">
        <p className="hint">{t("appraisal.start.appraisalLead")}</p>
        <Radios
          name="a_basisKind"
          label={START_LABELS.a_basisKind}
          defaultValue={a?.values.a_basisKind}
          error={a?.fields.a_basisKind}
          options={Object.entries(BASIS_KIND_LABELS).map(([value, key]) => ({ value, label: t(key) }))}
        />
        <TextArea name="a_basis" label={START_LABELS.a_basis} defaultValue={a?.values.a_basis} error={a?.fields.a_basis} rows={3} maxLength={1000} hint={t("appraisal.start.basisHint")} />
        {submit("appraisal.start.appraisalSubmit")}
      </FoldedForm>
    </div>
  );
}
