import { processIo } from './cli/io';
import { main } from './cli/program';

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
