import fs from 'node:fs';
import path from 'node:path';
import { locateTool, waitForPort } from '../embeddedStack';
import { type ClusterLayout } from './clusterLayout';
import { launchRecorded, runningPid } from './recordedProcesses';

/**
 * The Temporal Web UI server, pointed at the cluster's frontend, decoding
 * payloads through Sinetti's codec endpoint (which admits signed-in admins
 * only). It listens on 127.0.0.1: anyone who reaches it can read and
 * cancel every process, so put it behind the municipality's sign-in
 * (an authenticating proxy, or the UI's own OIDC) before exposing it.
 */
export async function startWebUi(layout: ClusterLayout, options: { codecEndpoint: string }): Promise<string> {
  const url = `http://127.0.0.1:${layout.ui.port}`;
  if (runningPid(layout.pidDir, 'web-ui') === undefined) {
    const config = {
      temporalGrpcAddress: layout.temporal.frontendAddress,
      host: '127.0.0.1',
      port: layout.ui.port,
      enableUi: true,
      defaultNamespace: layout.temporal.namespace,
      notifyOnNewVersion: false,
      cors: { allowOrigins: [url, `http://localhost:${layout.ui.port}`] },
      // The browser calls the codec endpoint with the admin's session cookie.
      codec: { endpoint: options.codecEndpoint, includeCredentials: true },
    };
    fs.mkdirSync(layout.ui.configDir, { recursive: true });
    fs.writeFileSync(path.join(layout.ui.configDir, 'development.yaml'), JSON.stringify(config, null, 2));
    launchRecorded(
      'web-ui',
      locateTool('temporal-ui-server'),
      ['--root', path.dirname(layout.ui.configDir), '--config', 'config', '--env', 'development', 'start'],
      {
        pidDir: layout.pidDir,
        logFile: path.join(layout.logDir, 'web-ui.log'),
      },
    );
  }
  await waitForPort(layout.ui.port, 'Temporal Web UI', 60_000);
  return url;
}
