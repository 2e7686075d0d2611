/**
 * Starts every upload at once and SIGKILLs a server once `ackedBefore` of them were acknowledged,
 * the shape of both durability tests (one server, or one of two instances). Uploads whose
 * connection died with the server are counted as cut: never acknowledged.
 */
export async function uploadThroughACrash<U>(
  uploads: U[],
  upload: (item: U) => Promise<{ status: number; id?: string }>,
  kill: () => Promise<unknown>,
  ackedBefore = 10,
): Promise<{ acknowledged: Array<U & { id: string }>; cut: number }> {
  const acknowledged: Array<U & { id: string }> = [];
  let cut = 0;
  let onAcknowledged = () => {};
  const inFlight = uploads.map(async (item) => {
    try {
      const result = await upload(item);
      if (result.status >= 200 && result.status < 300 && result.id) acknowledged.push({ ...item, id: result.id });
      onAcknowledged();
    } catch {
      cut++;
    }
  });
  await new Promise<void>((resolve) => {
    onAcknowledged = () => acknowledged.length >= ackedBefore && resolve();
  });
  await kill();
  await Promise.allSettled(inFlight);
  return { acknowledged, cut };
}
