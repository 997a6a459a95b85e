/** Households of a village (registry). */
export function HouseholdsPage() {
  return null;
}
