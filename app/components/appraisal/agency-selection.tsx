import { useTranslation } from "react-i18next";
import { Form, Link, useNavigation } from "react-router";
import { DateTime, SummaryList } from "../auction.tsx";
import { SCOPE_LABELS } from "../appraisal.tsx";
import { failureFor, Input, Radios, Select } from "../form-fields.tsx";
import { CommissionTable } from "./commissions.tsx";
import { isOpen, type PanelProps, type ProcedurePage } from "./procedure-page.ts";
import { StepButton } from "./step-button.tsx";

export const DRAW_LABELS = { regionScope: "appraisal.draw.regionScope", entropyCutoffAt: "appraisal.draw.cutoff" };
export const AGREE_LABELS = { rank1: "appraisal.agree.rank1", rank2: "appraisal.agree.rank2", rank3: "appraisal.agree.rank3" };

/** An appraisal's agency (A13): chosen by the parties' agreement or by the draw (P6), then commissioned (A14–A16). */
export function AgencySelection({ page, actionData }: PanelProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="agencies" className="form-section">
      <h2 id="agencies">{t("appraisal.agencies.title")}</h2>
      {page.choosing && <ChooseAgencies page={page} actionData={actionData} />}
      {page.draw && <DrawPanel page={page} draw={page.draw} />}
      {page.ranking.length > 0 && (
        <>
          <h3>{t("appraisal.agencies.ranking")}</h3>
          <ol data-testid="ranking">
            {page.ranking.map((r) => (
              <li key={r.agencyId}>
                {r.agencyName} <span className="hint">{r.creditCode}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {page.commissions.length > 0 && <CommissionTable page={page} />}
    </section>
  );
}

/** Two ways, each folded away: the draw's form is unfolded unless the agreement's form is being corrected. */
function ChooseAgencies({ page, actionData }: PanelProps) {
  const { t } = useTranslation();
  const drawFailure = failureFor(actionData, "draw");
  const agreeFailure = failureFor(actionData, "agree");
  return (
    <>
      <p>{t("appraisal.agencies.choose")}</p>
      <details className="details" open={Boolean(drawFailure) || !agreeFailure}>
        <summary>{t("appraisal.draw.open")}</summary>
        <OpenDrawForm failure={drawFailure} />
      </details>
      <details className="details" open={Boolean(agreeFailure)}>
        <summary>{t("appraisal.agree.title")}</summary>
        <AgreeForm agencies={page.agencies} failure={agreeFailure} />
      </details>
    </>
  );
}

type Failure = ReturnType<typeof failureFor>;

/** A13, P6: the sub-list to draw from and the cut-off for the parties' entropy. */
function OpenDrawForm({ failure }: { failure: Failure }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="narrow" data-testid="open-draw">
      <input type="hidden" name="intent" value="open-draw" />
      <p className="hint">{t("appraisal.draw.openLead")}</p>
      <Radios
        name="regionScope"
        label={DRAW_LABELS.regionScope}
        defaultValue={failure?.values.regionScope ?? "city"}
        error={failure?.fields.regionScope}
        options={Object.entries(SCOPE_LABELS).map(([value, key]) => ({ value, label: t(key) }))}
      />
      <Input
        name="entropyCutoffAt"
        type="datetime-local"
        label={DRAW_LABELS.entropyCutoffAt}
        defaultValue={failure?.values.entropyCutoffAt}
        error={failure?.fields.entropyCutoffAt}
        width="medium"
        hint={t("appraisal.draw.cutoffHint")}
      />
      <button type="submit" className="button" disabled={busy}>
        {t("appraisal.draw.openSubmit")}
      </button>
    </Form>
  );
}

/** A13: the three agencies the parties agreed on, in order, from the asset's specialty sub-library. */
function AgreeForm({ agencies, failure }: { agencies: ProcedurePage["agencies"]; failure: Failure }) {
  const { t } = useTranslation();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="narrow" data-testid="agree-agencies">
      <input type="hidden" name="intent" value="agree" />
      <p className="hint">{t("appraisal.agree.lead")}</p>
      {(["rank1", "rank2", "rank3"] as const).map((rank) => (
        <Select
          key={rank}
          name={rank}
          label={AGREE_LABELS[rank]}
          defaultValue={failure?.values[rank]}
          error={failure?.fields[rank]}
          emptyLabel={t("form.choose")}
          options={agencies.map((a) => ({ value: a.agencyId, label: `${a.name}（${a.creditCode}）` }))}
        />
      ))}
      <button type="submit" className="button" disabled={busy}>
        {t("appraisal.agree.submit")}
      </button>
    </Form>
  );
}

/** P6: the draw's cut-off and the public ceremony; the judge runs it once the cut-off has passed. */
function DrawPanel({ page, draw }: { page: ProcedurePage; draw: NonNullable<ProcedurePage["draw"]> }) {
  const { t } = useTranslation();
  const beforeCutoff = new Date(page.now) < new Date(draw.entropyCutoffAt);
  return (
    <div data-testid="draw-panel" data-drawn={draw.drawnAt ? "yes" : "no"}>
      <SummaryList
        rows={[
          ["appraisal.draw.cutoff", <DateTime iso={draw.entropyCutoffAt} seconds key="c" />],
          ["appraisal.draw.drawnAt", draw.drawnAt ? <DateTime iso={draw.drawnAt} seconds key="d" /> : t("appraisal.draw.notYet")],
        ]}
      />
      <p>
        <Link to={`/draws/${draw.id}`} data-testid="ceremony-link">
          {t("appraisal.draw.ceremony")}
        </Link>
      </p>
      {!draw.drawnAt && (beforeCutoff ? <p className="hint">{t("appraisal.draw.waiting")}</p> : isOpen(page) && <StepButton intent="run-draw" label="appraisal.draw.run" testId="run-draw" />)}
    </div>
  );
}
