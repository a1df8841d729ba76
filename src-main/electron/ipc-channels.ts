import type { ApiErrorBody } from '../api/contract';

export const IPC_INVOKE_CHANNEL = 'der:invoke';
export const IPC_EVENT_CHANNEL = 'der:event';
/** IPC loses Error subclasses, so results cross as a tagged union and the preload rebuilds the error. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody['error'] };
