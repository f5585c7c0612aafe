import { useTranslation } from "react-i18next";
import { Form, Link } from "react-router";
import { DateTime } from "./auction.tsx";
import { DataTable } from "./data-table.tsx";
import { formatDateTime } from "../lib/format.ts";

export interface ViewingSlotRow {
  id: string;
  startsAt: string;
  endsAt: string;
  place: string;
  capacity: number;
  free: number;
}

export interface LotViewingsData {
  slots: ViewingSlotRow[];
  mine: { slotId: string } | null;
  canBook: boolean;
}

/**
 * 预约看样 on the lot: each viewing's time, place and free places — never who booked (P4) — with the viewer's own
 * booking and a plain form to book or cancel (works without JavaScript).
 */
export function LotViewings({ lotId, viewings, signedIn }: { lotId: string; viewings: LotViewingsData; signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const { slots, mine, canBook } = viewings;
  const action = `/lots/${lotId}/viewings`;
  if (slots.length === 0) return <p data-testid="no-viewings">{t("viewings.none")}</p>;
  return (
    <div data-testid="viewings">
      <p>{t("viewings.lead")}</p>
      <DataTable
        rows={slots}
        rowKey={(s) => s.id}
        rowData={(s) => ({ "data-slot-id": s.id, "data-free": s.free })}
        caption="viewings.title"
        columns={[
          {
            header: "viewings.time",
            className: "nowrap",
            cell: (s) => (
              <>
                <DateTime iso={s.startsAt} /> – <DateTime iso={s.endsAt} />
              </>
            ),
          },
          { header: "viewings.place", cell: (s) => s.place },
          { header: "viewings.free", numeric: true, cell: (s) => (s.free > 0 ? `${s.free} / ${s.capacity}` : t("viewings.full")), cellData: () => ({ "data-testid": "viewing-free" }) },
          signedIn &&
            canBook && {
              header: "viewings.book",
              className: "actions",
              cell: (s) =>
                mine?.slotId === s.id ? (
                  <Form method="post" action={action} className="inline-form">
                    <input type="hidden" name="intent" value="cancel" />
                    <strong data-testid="viewing-mine">{t("viewings.yours")}</strong>{" "}
                    <button type="submit" className="button button--secondary" data-testid="viewing-cancel">
                      {t("viewings.cancel")}
                    </button>
                  </Form>
                ) : !mine && s.free > 0 ? (
                  <Form method="post" action={action} className="inline-form">
                    <input type="hidden" name="intent" value="book" />
                    <input type="hidden" name="slotId" value={s.id} />
                    <button type="submit" className="button" aria-label={t("viewings.bookNamed", { name: formatDateTime(s.startsAt, i18n.language) })} data-testid="viewing-book">
                      {t("viewings.book")}
                    </button>
                  </Form>
                ) : null,
            },
        ]}
      />
      {!signedIn && (
        <p>
          <Link to={`/sign-in?next=${encodeURIComponent(`/lots/${lotId}/viewings`)}`}>{t("viewings.signIn")}</Link>
        </p>
      )}
      {signedIn && !canBook && <p className="hint">{t("viewings.notBookable")}</p>}
    </div>
  );
}
