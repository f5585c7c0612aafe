import { useTranslation } from "react-i18next";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/admin.agency";
import { addAgencyMember, getPoolAgency, reinstateAgency, removeAgency, setSublists, SPECIALTIES, sublistSchema, suspendAgency } from "../../appraisal/index.ts";
import { DateTime, Prose, SuccessBanner, SummaryList } from "../components/auction.tsx";
import { SPECIALTY_LABELS, ListingStatusTag, STAFF_FIELDS, SublistFields, STAFF_LABELS, StaffFields, staffInput } from "../components/appraisal-portal.tsx";
import { failureFor, FoldedForm, ProblemSummary, TextArea } from "../components/form-fields.tsx";
import { doneNotice } from "../lib/appraisal-forms.server.ts";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { formFailure, formValues, pageId, parseForm, refusal, readForm } from "../lib/forms.server.ts";
import { toPlain } from "../lib/format.ts";
import { pageTitle } from "../lib/page-title.ts";

export const handle = pageTitle<Route.ComponentProps["loaderData"]>("titles.agency", (d) => d.agency.name);

const NOTICES = {
  added: "pool.agencies.added",
  sublists: "pool.agency.notice.sublists",
  suspended: "pool.agency.notice.suspended",
  reinstated: "pool.agency.notice.reinstated",
  removed: "pool.agency.notice.removed",
  member: "pool.agency.notice.member",
} as const;

/** Admins: one agency on the list — its sub-lists, standing (suspend, reinstate, remove with the 5-year bar, A12) and staff. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const admin = requirePageUser(request, context, "pool.manage");
  const agencyId = pageId(params.agencyId);
  try {
    const view = await getPoolAgency(services(context).db, admin, agencyId);
    return {
      ...toPlain(view),
      specialties: [...SPECIALTIES],
      notice: doneNotice(request, NOTICES),
    };
  } catch (error) {
    throw asPageError(error);
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const admin = requirePageUser(request, context, "pool.manage");
  const agencyId = pageId(params.agencyId);
  const { db, clock } = services(context);
  const values = formValues(await readForm(request));
  const intent = values.intent;
  const back = (done: keyof typeof NOTICES) => redirect(`/admin/agencies/${agencyId}?done=${done}`);
  try {
    if (intent === "addSublist" || intent === "removeSublist") {
      const parsed = parseForm(sublistSchema, { specialty: values.specialty ?? "", regionCode: values.sublistRegion ?? "" });
      if (!parsed.ok) {
        const { regionCode, ...rest } = parsed.fields;
        return formFailure("sublist", values, { ...rest, ...(regionCode ? { sublistRegion: regionCode } : {}) }, [], 400);
      }
      const { sublists } = await getPoolAgency(db, admin, agencyId);
      const same = (s: { specialty: string; regionCode: string }) => s.specialty === parsed.data.specialty && s.regionCode === parsed.data.regionCode;
      const next = intent === "addSublist" ? [...sublists, parsed.data] : sublists.filter((s) => !same(s));
      await setSublists(db, clock, admin, agencyId, { sublists: next });
      return back("sublists");
    }
    if (intent === "suspend") {
      await suspendAgency(db, clock, admin, agencyId, { reason: values.suspendReason ?? "" });
      return back("suspended");
    }
    if (intent === "reinstate") {
      await reinstateAgency(db, clock, admin, agencyId);
      return back("reinstated");
    }
    if (intent === "remove") {
      await removeAgency(db, clock, admin, agencyId, { reason: values.removeReason ?? "" });
      return back("removed");
    }
    if (intent === "member") {
      await addAgencyMember(db, clock, admin, agencyId, staffInput(values));
      return back("member");
    }
  } catch (error) {
    // Never echo a password back into the page.
    const safe = { ...values, password: "" };
    if (intent === "suspend") return refusal(error, "suspend", safe, { formFields: ["suspendReason"], fieldMap: { reason: "suspendReason" } });
    if (intent === "remove") return refusal(error, "remove", safe, { formFields: ["removeReason"], fieldMap: { reason: "removeReason" } });
    if (intent === "member") return refusal(error, "member", safe, { formFields: STAFF_FIELDS });
    if (intent === "addSublist" || intent === "removeSublist") return refusal(error, "sublist", safe, { formFields: ["specialty", "sublistRegion"], fieldMap: { sublists: "specialty" } });
    return refusal(error, "status", safe, { formFields: [] });
  }
  return formFailure("status", values, {}, ["validation.invalid"], 400);
}

export default function AdminAgency({ loaderData, actionData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { agency, sublists, members, specialties, notice } = loaderData;
  const sublistFailure = failureFor(actionData, "sublist");
  const suspendFailure = failureFor(actionData, "suspend");
  const removeFailure = failureFor(actionData, "remove");
  const memberFailure = failureFor(actionData, "member");
  const statusFailure = failureFor(actionData, "status");
  const labels = {
    specialty: "pool.specialtyLabel",
    sublistRegion: "pool.sublistRegion",
    suspendReason: "pool.agency.suspendReason",
    removeReason: "pool.agency.removeReason",
    ...STAFF_LABELS,
  };
  const listed = agency.status !== "removed";
  return (
    <div>
      <p className="breadcrumbs">
        <Link to="/admin/agencies">{t("pool.agencies.title")}</Link>
      </p>
      <span className="caption">{t("pool.agency.caption")}</span>
      <h1>{agency.name}</h1>
      <p>
        <ListingStatusTag status={agency.status} />
      </p>
      {notice && <SuccessBanner>{t(notice)}</SuccessBanner>}
      <ProblemSummary failure={statusFailure ?? sublistFailure ?? suspendFailure ?? removeFailure ?? memberFailure} labels={labels} />
      <SummaryList
        testId="agency-summary"
        rows={[
          ["pool.creditCode", agency.creditCode],
          ["pool.agencies.regionCode", agency.regionCode],
          ["pool.agency.listedAt", <DateTime iso={agency.listedAt} dateOnly key="l" />],
          ["pool.agency.statusChangedAt", <DateTime iso={agency.statusChangedAt} key="s" />],
          ["pool.agency.statusReason", agency.statusReason ? <Prose text={agency.statusReason} key="r" /> : null],
          ["pool.barredUntil", agency.barredUntil ? <DateTime iso={agency.barredUntil} dateOnly key="b" /> : null],
        ]}
      />

      <section aria-labelledby="sublists" className="form-section">
        <h2 id="sublists">{t("pool.sublists")}</h2>
        <p className="hint">{t("pool.agency.sublistsLead")}</p>
        {sublists.length === 0 ? (
          <p>{t("pool.noSublists")}</p>
        ) : (
          <ul className="plain-list" data-testid="sublists">
            {sublists.map((s) => (
              <li key={`${s.specialty}-${s.regionCode}`}>
                <Form method="post" className="inline-form">
                  {t(SPECIALTY_LABELS[s.specialty] ?? "pool.specialty.other")} · {s.regionCode}{" "}
                  <input type="hidden" name="intent" value="removeSublist" />
                  <input type="hidden" name="specialty" value={s.specialty} />
                  <input type="hidden" name="sublistRegion" value={s.regionCode} />
                  {listed && (
                    <button type="submit" className="link-button" disabled={busy}>
                      {t("pool.agency.removeSublist")}
                    </button>
                  )}
                </Form>
              </li>
            ))}
          </ul>
        )}
        {listed && (
          <FoldedForm summary="pool.agency.addSublist" open={Boolean(sublistFailure)} intent="addSublist">
            <SublistFields failure={sublistFailure} specialties={specialties} />
            <button type="submit" className="button button--secondary" disabled={busy} data-testid="add-sublist">
              {t("pool.agency.addSublistSubmit")}
            </button>
          </FoldedForm>
        )}
      </section>

      <section aria-labelledby="standing" className="form-section" data-testid="standing">
        <h2 id="standing">{t("pool.agency.standing")}</h2>
        {agency.status === "active" && (
          <FoldedForm summary="pool.agency.suspend" open={Boolean(suspendFailure)} intent="suspend">
            <p className="hint">{t("pool.agency.suspendLead")}</p>
            <TextArea name="suspendReason" label="pool.agency.suspendReason" defaultValue={suspendFailure?.values.suspendReason} error={suspendFailure?.fields.suspendReason} rows={2} maxLength={500} />
            <button type="submit" className="button button--warning" disabled={busy} data-testid="suspend">
              {t("pool.agency.suspendSubmit")}
            </button>
          </FoldedForm>
        )}
        {agency.status === "suspended" && (
          <Form method="post">
            <p>{t("pool.agency.reinstateLead")}</p>
            <input type="hidden" name="intent" value="reinstate" />
            <button type="submit" className="button button--secondary" disabled={busy} data-testid="reinstate">
              {t("pool.agency.reinstate")}
            </button>
          </Form>
        )}
        {listed ? (
          <FoldedForm summary="pool.agency.remove" open={Boolean(removeFailure)} intent="remove">
            <p className="inset-text" data-testid="remove-warning">
              {t("pool.agency.removeLead")}
            </p>
            <TextArea name="removeReason" label="pool.agency.removeReason" defaultValue={removeFailure?.values.removeReason} error={removeFailure?.fields.removeReason} rows={2} maxLength={500} />
            <button type="submit" className="button button--warning" disabled={busy} data-testid="remove">
              {t("pool.agency.removeSubmit")}
            </button>
          </FoldedForm>
        ) : (
          <p className="inset-text" data-testid="removed">
            {t("pool.agency.removedLead")}
          </p>
        )}
      </section>

      <section aria-labelledby="members" className="form-section">
        <h2 id="members">{t("pool.member.title")}</h2>
        {members.length === 0 ? (
          <p>{t("pool.member.none")}</p>
        ) : (
          <ul className="plain-list" data-testid="members">
            {members.map((m) => (
              <li key={m.id}>
                {m.displayName} ({m.username}){m.disabled ? ` · ${t("admin.users.disabled")}` : ""}
              </li>
            ))}
          </ul>
        )}
        {listed && (
          <FoldedForm summary="pool.member.add" open={Boolean(memberFailure)} intent="member">
            <StaffFields failure={memberFailure} />
            <button type="submit" className="button button--secondary" disabled={busy} data-testid="add-member">
              {t("pool.member.submit")}
            </button>
          </FoldedForm>
        )}
      </section>
    </div>
  );
}
