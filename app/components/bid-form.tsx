import { useTranslation } from "react-i18next";
import { Form, useNavigation } from "react-router";
import { Money } from "./auction.tsx";
import { MoneyInput } from "./form-fields.tsx";

/**
 * The bid form. It works without JavaScript: the client bid id is made by the server when the page
 * is rendered, so sending the same form twice replays the first answer instead of bidding twice.
 * It asks for the amount only: its post shows the confirmation step (`review`), whose own form places the bid.
 */
export function BidForm(props: { lotId: string; clientBidId: string; amountYuan: string; minimumFen: string; incrementFen: string; error?: string }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  return (
    <Form method="post" action={`/lots/${props.lotId}/bid`} className="bid-form" noValidate data-testid="bid-form">
      <input type="hidden" name="clientBidId" value={props.clientBidId} />
      <input type="hidden" name="review" value="1" />
      <MoneyInput
        name="amountFen"
        label="bid.amount"
        defaultValue={props.amountYuan}
        error={props.error}
        hint={
          <>
            {t("bid.hint.minimum")} <Money fen={props.minimumFen} />
            <br />
            {t("bid.hint.increment")} <Money fen={props.incrementFen} />
          </>
        }
      />
      <button type="submit" className="button button--bid" disabled={navigation.state === "submitting"}>
        {t("bid.next")}
      </button>
    </Form>
  );
}
