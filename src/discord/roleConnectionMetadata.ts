import type { REST } from 'discord.js';
import { ROLE_CONNECTION_METADATA, type RoleConnectionMetadataRecord } from '../core/linkedRoles.js';

/**
 * PUT /applications/{id}/role-connections/metadata: the Linked Roles figures servers can require
 * (a bulk overwrite, like the commands). Run by `npm run deploy-commands`, once per release.
 */
export async function registerRoleConnectionMetadata(
  rest: REST,
  applicationId: string,
): Promise<RoleConnectionMetadataRecord[]> {
  return (await rest.put(`/applications/${applicationId}/role-connections/metadata`, {
    body: ROLE_CONNECTION_METADATA,
  })) as RoleConnectionMetadataRecord[];
}
