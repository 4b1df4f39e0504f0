import { writeActionNames } from './action-names.js';

// The last step of `npm run build`: the action names of the installed iam-data, beside action-names.js (see there).
await writeActionNames();
