import { useTranslation } from "react-i18next";
import { colon } from "../lib/lot-documents.ts";
import { Link } from "react-router";
import type { PlaceChain } from "../../core/regions.ts";
import { SummaryList } from "./auction.tsx";

const COLUMNS = 4;
const CELL_W = 124;
const CELL_H = 36;
const GAP = 6;
const PAD = 12;
const HEADER = 34;

/**
 * Where the lot is, by name (province, city, district: never the division code), and a diagram drawn here, not a
 * map: no map service is reachable, so the page says what it can say truly — the city's districts and counties by
 * name, the lot's one marked. The full address is in the lot's title and description.
 */
export function LotPlace({ place, title }: { place: PlaceChain | null; title: string }) {
  const { t, i18n } = useTranslation();
  if (!place) {
    return (
      <section aria-labelledby="place-heading">
        <h2 id="place-heading">{t("lotPlace.title")}</h2>
        <p>{t("lotPlace.unknown")}</p>
      </section>
    );
  }
  const fullName = [place.province, place.city !== place.province ? place.city : "", place.district].join("");
  const search = new URLSearchParams({ province: place.province, ...(place.city && { city: place.city }), ...(place.district && { district: place.district }) });
  return (
    <section aria-labelledby="place-heading" data-testid="lot-place">
      <h2 id="place-heading">{t("lotPlace.title")}</h2>
      <p className="place-name" data-testid="place-name">
        <strong>{fullName}</strong>
      </p>
      <SummaryList
        rows={[
          ["lotPlace.province", place.province],
          ["lotPlace.city", place.city && place.city !== place.province ? place.city : null],
          ["lotPlace.district", place.district || null],
          ["lotPlace.addressNote", title],
        ]}
      />
      {place.districts.length > 0 && <PlaceDiagram place={place} label={`${t("lotPlace.mapLabel")}${colon(i18n.language)}${fullName}`} />}
      <p className="hint">{t("lotPlace.mapNote")}</p>
      <p>
        <Link to={`/lots?${search.toString()}`}>{t("lotPlace.more")}</Link>
      </p>
    </section>
  );
}

/** The city's districts as a grid of named cells, the lot's district filled: a diagram, drawn without tiles. */
function PlaceDiagram({ place, label }: { place: PlaceChain; label: string }) {
  const rows = Math.ceil(place.districts.length / COLUMNS);
  const width = PAD * 2 + COLUMNS * CELL_W + (COLUMNS - 1) * GAP;
  const height = HEADER + PAD + rows * CELL_H + (rows - 1) * GAP + PAD;
  return (
    <figure className="place-diagram">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="place-diagram" xmlns="http://www.w3.org/2000/svg">
        <rect x="1" y="1" width={width - 2} height={height - 2} rx="8" fill="#f3f2f1" stroke="#505a5f" strokeWidth="2" />
        <text x={PAD} y={24} fontSize="16" fontWeight="bold" fill="#0b0c0c">
          {place.province === place.city ? place.province : `${place.province} › ${place.city}`}
        </text>
        {place.districts.map((name, i) => {
          const x = PAD + (i % COLUMNS) * (CELL_W + GAP);
          const y = HEADER + PAD + Math.floor(i / COLUMNS) * (CELL_H + GAP);
          const here = name === place.district;
          return (
            <g key={name} data-here={here || undefined}>
              <rect x={x} y={y} width={CELL_W} height={CELL_H} rx="4" fill={here ? "#1d70b8" : "#ffffff"} stroke={here ? "#003078" : "#b1b4b6"} strokeWidth={here ? 3 : 1} />
              <text x={x + CELL_W / 2} y={y + CELL_H / 2 + 5} fontSize="14" textAnchor="middle" fill={here ? "#ffffff" : "#0b0c0c"} fontWeight={here ? "bold" : "normal"}>
                {here ? `● ${name}` : name}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
