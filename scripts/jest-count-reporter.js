// Writes each workspace's test counts to .test-results/ so `npm test` can print one total line.
const fs = require('node:fs');
const path = require('node:path');

class CountReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', '.test-results');
    fs.mkdirSync(dir, { recursive: true });
    const name = path.relative(path.join(__dirname, '..'), this.rootDir).replace(/[\\/]/g, '__') || 'root';
    const skipped = results.numPendingTests + results.numTodoTests;
    // A suite that failed to load has no failing test but is still a failure.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({ passed: results.numPassedTests, failed, skipped }),
    );
  }
}
module.exports = CountReporter;
