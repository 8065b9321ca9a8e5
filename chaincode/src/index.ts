/**
 * The chaincode's contracts, as loaded by `fabric-chaincode-node server`. The first is the default (a transaction
 * named without `<contract>:`): a trade contract. The probe (raw writes for the network and fault suites'
 * self-checks: endorsement, private data dissemination, ordering faults) is served only when the server's environment
 * asks for it, which only those suites' test networks do (network/src/config.ts, chaincodeProbe).
 */
import { ProbeContract } from './probe-contract';
import { tradeContracts } from './transactions';

export { ProbeContract };
export const contracts = process.env.TRADEDOCS_CHAINCODE_PROBE === 'on' ? [...tradeContracts(), ProbeContract] : tradeContracts();
