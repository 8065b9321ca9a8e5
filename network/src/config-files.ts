/**
 * This network's copies of Fabric's core.yaml and orderer.yaml. Almost every setting is passed per process as an
 * environment variable (nodes.ts); only values the environment cannot express are changed here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { Layout } from './layout';

export function ensureFabricConfig(layout: Layout): void {
    fs.mkdirSync(layout.fabricConfigDir, { recursive: true });
    const core = parseDocument(fs.readFileSync(path.join(layout.fabricSampleConfigDir, 'core.yaml'), 'utf8'));
    // An empty CORE_VM_ENDPOINT reads as unset, so the sample's Docker socket would stay, and the peer would report
    // itself unhealthy for want of Docker. Empty here: chaincode runs only as a service.
    core.setIn(['vm', 'endpoint'], '');
    fs.writeFileSync(path.join(layout.fabricConfigDir, 'core.yaml'), core.toString());
    fs.copyFileSync(path.join(layout.fabricSampleConfigDir, 'orderer.yaml'), path.join(layout.fabricConfigDir, 'orderer.yaml'));
}
