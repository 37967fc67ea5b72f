/**
 * The bridge's store for the keys and audit commands: the same configuration and services
 * as `serve` (DATABASE_URL or BRIDGE_DATA_DIR, BRIDGE_ENCRYPTION_KEY), without the HTTP
 * server, the queue or the pollers. The embedded store belongs to one process: while a
 * bridge runs on it these commands refuse and point at the admin API.
 */
import { createAdminKeys, type AdminKeys } from '../admin/key-service.js';
import { HASH_SECRET_LABEL } from '../admin/key-secret.js';
import { loadConfig } from '../config.js';
import { createCryptoBox, resolveEmbeddedKey } from '../crypto-box.js';
import { acquireDataDirLock } from '../data-dir-lock.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/schema.js';
import { CliError } from './usage.js';

export interface AdminStore {
  db: Database;
  keys: AdminKeys;
  close(): Promise<void>;
}

export async function openAdminStore(env: NodeJS.ProcessEnv, warn: (line: string) => void): Promise<AdminStore> {
  const config = loadConfig(env);
  let key = config.encryptionKey;
  if (config.databaseUrl) {
    if (!key) throw new CliError('BRIDGE_ENCRYPTION_KEY is required with DATABASE_URL: give the same value the bridge runs with (admin keys are hashed under it)');
  } else {
    try {
      acquireDataDirLock(config.dataDir);
    } catch {
      throw new CliError(
        `The embedded store in ${config.dataDir} is in use by a running bridge (one process per data directory). ` +
          'While it runs, use the admin API instead (/admin/v1/keys with a keys:admin key, /admin/v1/audit with audit:read), ' +
          'or stop the bridge, run this command, and start it again. With DATABASE_URL these commands work beside running bridges.',
      );
    }
    const resolved = resolveEmbeddedKey(config.dataDir, key);
    if (resolved.generated) warn(`generated an encryption key into ${config.dataDir}/encryption.key; back it up with the data directory`);
    key = resolved.key;
  }
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    throw new CliError(`could not open the store: ${err instanceof Error ? err.message : String(err)}`);
  }
  await migrate(db);
  const keys = createAdminKeys({ db, hashSecret: createCryptoBox(key).derive(HASH_SECRET_LABEL), now: () => new Date() });
  return { db, keys, close: () => db.close() };
}
