import type { Reporter } from '../verify-result.js';
import { GithubReporter } from './github-reporter.js';
import { JsonReporter } from './json-reporter.js';
import { JunitReporter } from './junit-reporter.js';
import type { ReporterName, ReporterOptions } from './reporter-options.js';
import { TextReporter } from './text-reporter.js';

export {
  REPORTER_NAMES,
  type ReporterName,
  type ReporterOptions,
} from './reporter-options.js';

/** The reporter for `--reporter <name>`; only `text` uses `colors`. */
export function createReporter(
  name: ReporterName,
  options: ReporterOptions,
): Reporter {
  switch (name) {
    case 'text':
      return new TextReporter(options);
    case 'json':
      return new JsonReporter(options.write);
    case 'github':
      return new GithubReporter(options.write);
    case 'junit':
      return new JunitReporter(options.write);
  }
}
