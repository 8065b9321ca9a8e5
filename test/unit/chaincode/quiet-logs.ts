/** Loaded before fabric-contract-api: its registration logs every transaction at info level, noise in test output. */
process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ??= 'warning';
