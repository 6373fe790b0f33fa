// Object-level access: a saved chart is its owner's, an annotation its author's. Others may read them as
// their role allows but not change or delete them; supervisors and admins may (to correct or clean up
// after someone leaves), and their record in the audit says whose object they changed. Keyed by route, so
// the check sits in the security plugin beside the function-level one rather than in each handler; the
// notes routes add the override to the record (ownerOverride).
import type { Role } from '../domain/model.ts';
import type { WorkspaceStore } from '../store/workspace-store.ts';

/** Who owns the object `id` names; null when there is no such object (the route then answers 404). */
type OwnerOf = (workspace: WorkspaceStore, id: string) => Promise<string | null>;

const chartOwner: OwnerOf = async (workspace, id) => (await workspace.getChart(id))?.owner ?? null;
const annotationOwner: OwnerOf = async (workspace, id) => (await workspace.getAnnotation(id))?.author ?? null;

/** `METHOD url` -> who owns the object the route's :id names. */
export const OWNED_ROUTES: Record<string, OwnerOf> = {
  'PUT /api/charts/:id': chartOwner,
  'DELETE /api/charts/:id': chartOwner,
  'PATCH /api/annotations/:id': annotationOwner,
  'DELETE /api/annotations/:id': annotationOwner,
};

export const OVERRIDE_ROLES: ReadonlySet<Role> = new Set(['supervisor', 'admin']);

/**
 * null when allowed; otherwise the owner's name (the caller is not them and may not override). A store
 * that fails to answer fails the request (500), never lets it through.
 */
export async function ownershipConflict(
  workspace: WorkspaceStore,
  routeKey: string,
  id: string | undefined,
  user: { name: string; role: Role },
): Promise<string | null> {
  const ownerOf = OWNED_ROUTES[routeKey];
  if (!ownerOf || !id || OVERRIDE_ROLES.has(user.role)) return null;
  const owner = await ownerOf(workspace, id);
  return owner !== null && owner !== user.name ? owner : null;
}

/**
 * When a supervisor or admin changes or deletes someone else's object: the owner's name (for the audit
 * record's `ownerOverride`); null when the caller owns it, the route owns nothing, or there is no object.
 */
export async function ownerOverride(
  workspace: WorkspaceStore,
  routeKey: string,
  id: string | undefined,
  user: { name: string; role: Role },
): Promise<string | null> {
  const ownerOf = OWNED_ROUTES[routeKey];
  if (!ownerOf || !id || !OVERRIDE_ROLES.has(user.role)) return null;
  const owner = await ownerOf(workspace, id);
  return owner !== null && owner !== user.name ? owner : null;
}
