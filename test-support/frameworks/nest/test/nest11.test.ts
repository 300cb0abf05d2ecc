import { describeNestApp } from './describe-nest-app';

describeNestApp('nest11', '11.2.10');
