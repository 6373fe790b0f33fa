// Imported first by tests that sign in hundreds of times: a cheaper scrypt cost (2^10) so they stay quick.
// The default cost is what test/security/passwords.test.ts checks.
process.env.LINKCHART_SCRYPT_LOG2N ??= '10';
