/**
 * The chaincode's contracts, as loaded by `fabric-chaincode-node server`. The first is the default (a transaction
 * named without `<contract>:`): a trade contract, not the probe. The probe (network self-checks: endorsement, private
 * data dissemination, identity attributes) stays only for the network and fault suites that still use it.
 */
import { ProbeContract } from './probe-contract';
import { tradeContracts } from './transactions';

export { ProbeContract };
export const contracts = [...tradeContracts(), ProbeContract];
