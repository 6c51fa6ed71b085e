import { planCounty } from './src/seed/generate.js';
import { writeDemoAccountsDoc } from './src/seed/demo-accounts.js';
writeDemoAccountsDoc(await planCounty({ countyCode: '430525' }), '../docs/demo-accounts.md');
