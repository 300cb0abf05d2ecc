// passport-oauth2 1.8's errors and options, each run against every strategy and plain passport-oauth2.
import { describeCompat } from '../table';
import { callbackErrorRows, classRows, optionRows, providerErrorRows } from '../error-rows';

describeCompat('callback errors', callbackErrorRows);
describeCompat('provider errors', providerErrorRows);
describeCompat('error classes', classRows);
describeCompat('options', optionRows);
