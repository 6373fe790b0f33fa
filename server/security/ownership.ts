// Object-level access: a saved chart is its owner's. Other analysts may read it but not change or delete
// it; supervisors and admins may (to clean up after someone leaves). Keyed by route, so the check sits
// in the security plugin beside the function-level one rather than in each handler.
import type { Role } from '../domain/model.ts';
import type { WorkspaceStore } from '../store/workspace-store.ts';

type OwnerOf = (workspace: WorkspaceStore, id: string) => Promise<string | null>;

const chartOwner: OwnerOf = async (workspace, id) => (await workspace.getChart(id))?.owner ?? null;

/** `METHOD url` -> who owns the object the route's :id names. */
export const OWNED_ROUTES: Record<string, OwnerOf> = {
  'PUT /api/charts/:id': chartOwner,
  'DELETE /api/charts/:id': chartOwner,
};

export const OVERRIDE_ROLES: ReadonlySet<Role> = new Set(['supervisor', 'admin']);

/** null when allowed; otherwise the owner's name (the caller is not them). */
export async function ownershipConflict(
  workspace: WorkspaceStore,
  routeKey: string,
  id: string | undefined,
  user: { name: string; role: Role },
): Promise<string | null> {
  const ownerOf = OWNED_ROUTES[routeKey];
  if (!ownerOf || !id || OVERRIDE_ROLES.has(user.role)) return null;
  const owner = await ownerOf(workspace, id).catch(() => null);
  return owner !== null && owner !== user.name ? owner : null;
}
