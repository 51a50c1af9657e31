// The executable's body for development (`npm run dev -- <args>`, through tsx);
// bin/holding-pivot.js does the same with the compiled main.
import { main } from './main.js';

process.exitCode = await main(process.argv);
