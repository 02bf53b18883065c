/**
 * Amounts are whole cents with an ISO 4217 currency code (DESIGN §3: amountCents, totalCents,
 * currency). One way to write them, in emails and on screens.
 */

/**
 * `formatMoney(845000, 'EUR', 'en')` → `€8,450.00`, in `locale` (the runtime's own when
 * absent). A code Intl does not know is written plainly: `8450.00 XYZ`; an empty one reads as EUR.
 */
export function formatMoney(cents: number, currency: string, locale?: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency || 'EUR' }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
