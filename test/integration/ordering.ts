/** The ordering service as the tests see it: its nodes, who leads, and whether they all hold the same blocks. */
import * as path from 'node:path';
import { ordererChannelInfo } from '../../network/src/channel';
import { httpsGet } from '../../network/src/health';
import { waitFor } from '../../network/src/processes';
import { type OrdererNode, ordererPorts } from '../../network/src/topology';
import { testNetwork } from './harness';

export function ordererNodes(): readonly OrdererNode[] {
    return testNetwork.layout.ordering.nodes;
}

/** The orderer's Prometheus metrics (the operations endpoint wants a client certificate of its organisation's TLS CA). */
export async function ordererMetrics(node: OrdererNode): Promise<string> {
    const { layout, config } = testNetwork;
    const tls = layout.adminTlsDir(node.org);
    const { body } = await httpsGet(`https://${config.listenAddress}:${ordererPorts(config.basePort, node.index).operations}/metrics`, layout.tlsCa(node.org), {
        certFile: path.join(tls, 'server.crt'),
        keyFile: path.join(tls, 'server.key'),
    });
    return body;
}

/** The node that leads the trade channel by its own metrics (Raft: the Raft leader; BFT: the leader of the current view). */
export async function orderingLeader(candidates: readonly OrdererNode[] = ordererNodes()): Promise<OrdererNode> {
    const metric = testNetwork.layout.ordering.type === 'raft' ? 'consensus_etcdraft_is_leader' : 'consensus_BFT_is_leader';
    const pattern = new RegExp(`^${metric}\\{channel="trade"\\} 1$`, 'm');
    let leader: OrdererNode | undefined;
    await waitFor('an ordering leader', async () => {
        for (const node of candidates) {
            if (testNetwork.supervisor.pid(node.name) !== undefined && pattern.test(await ordererMetrics(node).catch(() => ''))) {
                leader = node;
                return true;
            }
        }
        return false;
    }, 60_000);
    return leader as OrdererNode;
}

/** Waits until every running orderer reports the same channel height as `reference`. */
export async function waitForOrderersInStep(what: string, timeoutMs = 60_000): Promise<number> {
    let height = 0;
    await waitFor(what, async () => {
        const infos = await Promise.all(ordererNodes().map((n) => ordererChannelInfo(testNetwork.config, testNetwork.layout, n)));
        height = infos[0]?.height ?? 0;
        return infos.every((info) => info?.height !== undefined && info.height === height);
    }, timeoutMs);
    return height;
}
