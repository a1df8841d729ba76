/**
 * The Api over Electron IPC: one invoke channel for every method, events pushed to our windows. A message from
 * any sender that is not one of our windows' main frames loading our app:// origin is dropped.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ApiError } from './contract';
import type { ApiService } from './service';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcResult } from '../electron/ipc-channels';

export function setupIpc(ipcMain: IpcMain, service: ApiService, isTrustedSender: (sender: WebContents, frameUrl: string | undefined) => boolean, targets: () => WebContents[]): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<IpcResult> => {
    if (!isTrustedSender(event.sender, event.senderFrame?.url)) {
      return { ok: false, error: { code: 'invalid_input', message: 'sender not allowed' } };
    }
    try {
      return { ok: true, value: await service.invoke(String(method), args) };
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', (err as Error).message);
      return { ok: false, error: e.toBody().error };
    }
  });
  const off = service.onEvent((e) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, e);
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    off();
  };
}
