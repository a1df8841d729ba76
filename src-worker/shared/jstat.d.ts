/** The slice of jStat 1.9 the geometry lab uses (the package ships no types). */
declare module 'jstat' {
  interface StudentT {
    /** P(T ≤ x) for Student's t with `dof` degrees of freedom. */
    cdf(x: number, dof: number): number;
    /** Quantile: the x with P(T ≤ x) = p. */
    inv(p: number, dof: number): number;
  }
  interface JStatStatic {
    studentt: StudentT;
  }
  const jStat: JStatStatic;
  export default jStat;
}
