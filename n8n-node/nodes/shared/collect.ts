/** Drains a paged iterator, stopping early at `limit` (which also stops further page requests). */
export async function collect<T>(items: AsyncIterable<T>, limit?: number): Promise<T[]> {
	const out: T[] = [];
	if (limit !== undefined && limit <= 0) return out;
	for await (const item of items) {
		out.push(item);
		if (limit !== undefined && out.length >= limit) break;
	}
	return out;
}
