/** Keeps the built-in role rows in step with the code's role definitions (run at every start). */
import type { Kdb } from '../db/database.js';
import { builtinRoles, isKnownPermission } from './permissions.js';
import '../modules/index.js'; // modules register their permissions and roles on import

export async function syncRoles(db: Kdb): Promise<void> {
  for (const r of builtinRoles) {
    const permissions = r.permissions.filter(isKnownPermission);
    await db
      .insertInto('roles')
      .values({ key: r.key, name: r.name, permissions, requires_totp: !!r.requiresTotp })
      .onConflict((oc) => oc.column('key').doUpdateSet({ name: r.name, permissions, requires_totp: !!r.requiresTotp }))
      .execute();
  }
}

export async function grantRole(db: Kdb, userId: number, roleKey: string, regionId: number): Promise<void> {
  const role = await db.selectFrom('roles').select('id').where('key', '=', roleKey).executeTakeFirstOrThrow();
  const region = await db.selectFrom('regions').select(['path', 'county_id']).where('id', '=', regionId).executeTakeFirstOrThrow();
  await db
    .insertInto('user_grants')
    .values({ user_id: userId, role_id: role.id, region_id: regionId, region_path: region.path, county_id: region.county_id! })
    .onConflict((oc) => oc.columns(['user_id', 'role_id', 'region_id']).doNothing())
    .execute();
}
