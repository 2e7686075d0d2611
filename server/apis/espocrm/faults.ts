import type { Fault } from '../../kit/server-api.ts';

/** Deliberate contract violations for mutation testing (`attachkit serve --fault espocrm.<id>`). */
export const faults: Fault[] = [
  { id: 'truncated-download', description: 'downloads stop after half the bytes (Content-Length agrees with the short body)' },
  { id: 'download-without-disposition', description: 'downloads omit Content-Disposition' },
  { id: 'declared-size-kept', description: 'the declared size is stored instead of the real byte length' },
  { id: 'replaced-file-kept', description: "replacing a Document's file does not delete the old attachment" },
  { id: 'note-put-appends', description: 'PUT Note adds to attachmentsIds instead of replacing the list' },
];
