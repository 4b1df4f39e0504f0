export { configSearchPaths, locateConfigFile, CREATE_CONFIG_HINT, type LocateOptions } from './locate.js';
export {
  loadConfig,
  parseConfig,
  readConfigText,
  targetNameProblem,
  MAX_CONFIG_BYTES,
  formatPath,
  describeValue,
  GLOBAL_KEYS,
  GLOBAL_ENV,
  TARGET_KEYS,
  type Env,
  type LoadOptions,
  type LoadedConfig,
  type TargetConfig,
} from './load.js';
export { validateTargetParameters } from './validate-target.js';
export { levenshtein, suggestNearest, didYouMean } from './suggest.js';
