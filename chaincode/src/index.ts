/** The chaincode's contracts, as loaded by `fabric-chaincode-node server`. */
import { ProbeContract } from './probe-contract';

export { ProbeContract };
export const contracts: (typeof ProbeContract)[] = [ProbeContract];
