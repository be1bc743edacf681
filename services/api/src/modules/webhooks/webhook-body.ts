/**
 * The body POSTed to an endpoint: FlexPrice's flat object, `event_type` first, then the stored
 * entity part — spliced as text, so the payload's numbers go out with every digit it was recorded with.
 */
export function deliveryBody(eventType: string, payloadJson: string): string {
  const head = `{"event_type":${JSON.stringify(eventType)}`;
  const inner = payloadJson.trim().slice(1, -1).trim();
  return inner ? `${head},${inner}}` : `${head}}`;
}
