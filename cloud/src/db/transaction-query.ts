import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from './client';

/**
 * The raw-SQL interface (`Database.query`: text with $1, $2 … and its parameters) on a drizzle transaction, so the
 * queries written in raw SQL can join a transaction (e.g. a write and its audit row).
 */
export function transactionQuery(tx: Db): Pick<Database, 'query'> {
  return {
    query: async <T>(text: string, params: unknown[] = []) => {
      const result = (await tx.execute(withParams(text, params))) as unknown as { rows: T[] };
      return result.rows;
    },
  };
}

function withParams(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => {
    chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`);
  });
  return sql.join(chunks);
}
