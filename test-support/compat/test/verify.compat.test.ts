// passport-oauth2 1.8's verify habits, each run against every strategy and plain passport-oauth2.
import { describeCompat } from '../table';
import { verifyRows } from '../verify-rows';

describeCompat('verify', verifyRows);
