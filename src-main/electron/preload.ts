/**
 * The preload bridge: exposes exactly the typed Api (a method per name in API_METHODS, and onEvent), never
 * ipcRenderer itself. Arguments cross as structured clones; main validates them again.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_METHODS, type Api, type ApiEvent } from '../api/contract';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type IpcResult } from './ipc-channels';

const bridge = Object.fromEntries(
  API_METHODS.map((method) => [
    method,
    async (...args: unknown[]) => {
      const result = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, args)) as IpcResult;
      if (!result.ok) {
        const err = new Error(result.error.message) as Error & { code?: string; issues?: unknown };
        err.name = 'ApiError';
        err.code = result.error.code;
        err.issues = result.error.issues;
        throw err;
      }
      return result.value;
    },
  ]),
) as unknown as Omit<Api, 'onEvent'>;

const api: Api = {
  ...bridge,
  onEvent(listener: (e: ApiEvent) => void) {
    const handler = (_e: IpcRendererEvent, event: ApiEvent): void => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => void ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('der', api);
