/**
 * Prints one plain closing line ("N passed, N failed, N skipped") after the whole run.
 * A suite that could not run at all (syntax error, failing hook) counts as one failure.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
