/** An answer that is only FlexPrice's `{ message }` (a delete's), once the work is done. */
export async function messageWhenDone(work: Promise<void>, message: string): Promise<{ message: string }> {
  await work;
  return { message };
}
