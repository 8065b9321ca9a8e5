/**
 * Root hooks for suites on a real network (integration, faults): a fresh network before the first test, nothing
 * left running after the last. Each file still calls `testNetwork.up()` first, since a test may stop it.
 */
import { testNetwork } from './harness';

export const mochaHooks = {
    async beforeAll(this: Mocha.Context): Promise<void> {
        this.timeout(900_000);
        await testNetwork.wipe();
        await testNetwork.up();
    },
    async afterAll(this: Mocha.Context): Promise<void> {
        this.timeout(120_000);
        await testNetwork.stop();
    },
};
