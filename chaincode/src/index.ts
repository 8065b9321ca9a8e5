/** The chaincode's contracts, as loaded by `fabric-chaincode-node server`. */
import { ProbeContract } from './probe-contract';
import { tradeContracts } from './transactions';

export { ProbeContract };
export const contracts = [ProbeContract, ...tradeContracts()];
