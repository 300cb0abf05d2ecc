import { describeNestApp } from './describe-nest-app';

describeNestApp('nest12', '12.5.1');
