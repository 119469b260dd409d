const path = require('node:path');

/**
 * Ends every run with one plain line, "Tests: N passed, N failed[, N skipped]",
 * that CI and people can read without knowing jest's own summary format,
 * preceded by each failed test's file, name and first line of its error, so
 * the tail of a long CI log says what failed.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failures = results.testResults.flatMap((file) => {
      const where = path.relative(process.cwd(), file.testFilePath);
      if (file.testExecError) return [`FAILED ${where}: ${firstLine(file.testExecError.message)}`];
      return file.testResults
        .filter((test) => test.status === 'failed')
        .map((test) => `FAILED ${where} › ${test.fullName}: ${firstLine(test.failureMessages[0] ?? '')}`);
    });
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const list = failures.length ? `\n${failures.join('\n')}` : '';
    process.stdout.write(`${list}\nTests: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}

/** The error's first non-empty line, without colour codes, at most 300 characters. */
function firstLine(message) {
  // eslint-disable-next-line no-control-regex
  const plain = String(message).replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((text) => text.trim()) ?? '';
  return line.trim().slice(0, 300);
}

module.exports = SummaryReporter;
