import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Route } from "./+types/platform";
import { pendingDueAt, platformInquiryRequests, sortRequests } from "../../appraisal/index.ts";
import { DateTime, Due } from "../components/auction.tsx";
import { DataTable } from "../components/data-table.tsx";
import { asPageError, requirePageUser, services } from "../lib/http.server.ts";
import { toPlain } from "../lib/format.ts";

const STATES: Record<string, string> = {
  waiting: "platformPortal.states.waiting",
  extensionAsked: "platformPortal.states.extensionAsked",
  extended: "platformPortal.states.extended",
  reported: "platformPortal.states.reported",
  correction: "platformPortal.states.correction",
  late: "platformPortal.states.late",
  suspended: "platformPortal.states.suspended",
  closed: "platformPortal.states.closed",
};

export const meta: Route.MetaFunction = () => [{ title: "询价任务 Inquiry requests · 人民法院司法拍卖与评估平台" }];

/** Inquiry platforms' staff: the courts' price inquiries sent to their platform, the most pressing first (A7–A9). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requirePageUser(request, context, "platform.work");
  try {
    const rows = await platformInquiryRequests(services(context).db, user);
    const requests = sortRequests(rows.map((r) => ({ ...r, dueSoon: pendingDueAt(r) })));
    return {
      requests: toPlain(
        requests.map((r) => ({
          id: r.id,
          title: r.asset.title,
          category: r.asset.category,
          regionCode: r.asset.regionCode,
          sentAt: r.sentAt,
          dueSoon: r.dueSoon,
          state: requestState(r),
        })),
      ),
    };
  } catch (error) {
    throw asPageError(error);
  }
}

/** One word for where a request stands, for the list. */
function requestState(r: { procedureStatus: string; reported: boolean; late: boolean; extensionRequestedAt: Date | null; extended: boolean; correctionDueAt: Date | null; correctedAt: Date | null }) {
  if (r.late) return "late";
  if (r.reported && r.correctionDueAt && !r.correctedAt && r.procedureStatus === "open") return "correction";
  if (r.reported) return "reported";
  if (r.procedureStatus !== "open") return r.procedureStatus === "suspended" ? "suspended" : "closed";
  if (r.extended) return "extended";
  if (r.extensionRequestedAt) return "extensionAsked";
  return "waiting";
}

export default function PlatformRequests({ loaderData }: Route.ComponentProps) {
  const { t } = useTranslation();
  const { requests } = loaderData;
  return (
    <div>
      <h1>{t("platformPortal.title")}</h1>
      <p className="lead">{t("platformPortal.lead")}</p>
      <DataTable
        rows={requests}
        rowKey={(r) => r.id}
        rowData={(r) => ({ "data-request-id": r.id })}
        caption="platformPortal.title"
        testId="platform-requests"
        empty={<p data-testid="no-requests">{t("platformPortal.none")}</p>}
        columns={[
          {
            header: "platformPortal.asset",
            cell: (r) => (
              <>
                <Link to={`/platform/requests/${r.id}`}>{r.title}</Link>
                <br />
                <span className="hint">
                  {t(`category.${r.category}`)} · {r.regionCode}
                </span>
              </>
            ),
          },
          { header: "platformPortal.sentAt", cell: (r) => <DateTime iso={r.sentAt} /> },
          { header: "platformPortal.state", cellData: (r) => ({ "data-state": r.state }), cell: (r) => t(STATES[r.state] ?? "platformPortal.states.closed") },
          { header: "platformPortal.dueAt", cell: (r) => (r.dueSoon ? <Due iso={r.dueSoon} /> : "—") },
        ]}
      />
    </div>
  );
}
