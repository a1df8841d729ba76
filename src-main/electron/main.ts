/**
 * The Electron main process. Secure by default: context isolation, sandbox, no node integration, web security,
 * a CSP with script-src 'self', the renderer served from app:// (not file://), navigation, window.open and
 * permission requests denied, IPC accepted only from our window. Every handler is registered before the window.
 */
import { app, BrowserWindow, ipcMain, net, protocol, session, shell, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP } from '../api/http';
import { setupIpc } from '../api/ipc';
import { projectRoot } from '../paths';
import { openWorkbench, type Workbench } from '../workbench';
import { APP_ORIGIN, isAllowedExternal, isAppUrl } from './navigation';
import { UtilityWorkerHost } from './utility-worker-host';


protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let workbench: Workbench | null = null;
const windows = new Set<BrowserWindow>();

function setupProtocol(): void {
  const root = join(projectRoot(), 'out', 'renderer');
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(root, rel);
    if (!file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString()).catch(() => net.fetch(pathToFileURL(join(root, 'index.html')).toString()));
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CSP);
    return new Response(res.body, { status: res.status, headers });
  });
}

function isTrustedSender(sender: WebContents, frameUrl: string | undefined): boolean {
  return [...windows].some((w) => w.webContents === sender) && typeof frameUrl === 'string' && frameUrl.startsWith(`${APP_ORIGIN}/`);
}

function setupSecurity(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    // A redirect is a navigation the will-navigate check does not see.
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'DER Workbench',
    show: false,
    webPreferences: {
      preload: join(projectRoot(), 'out', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // A middle click on a link must not open it either (auxclick fires where click handlers do not look).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  setupSecurity();
  setupProtocol();
  workbench = openWorkbench({ host: new UtilityWorkerHost(), clusterSetting: true });
  setupIpc(ipcMain, workbench.service, isTrustedSender, () => [...windows].map((w) => w.webContents));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', (event) => {
  if (!workbench) return;
  event.preventDefault();
  const wb = workbench;
  workbench = null;
  void wb.close().finally(() => app.quit());
});

void start().catch((err: unknown) => {
  console.error(err);
  app.exit(1);
});
