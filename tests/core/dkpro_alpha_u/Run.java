import org.dkpro.statistics.agreement.unitizing.*;
public class Run {
  static void p(String n, UnitizingAnnotationStudy s, String... cats) throws Exception {
    KrippendorffAlphaUnitizingAgreement a = new KrippendorffAlphaUnitizingAgreement(s);
    java.lang.reflect.Method o = KrippendorffAlphaUnitizingAgreement.class.getDeclaredMethod("calculateObservedCategoryDisagreement", Object.class);
    java.lang.reflect.Method e = KrippendorffAlphaUnitizingAgreement.class.getDeclaredMethod("calculateExpectedCategoryDisagreement", Object.class);
    o.setAccessible(true); e.setAccessible(true);
    for (String c : cats) System.out.println(n + " " + c + " Do=" + o.invoke(a, c) + " De=" + e.invoke(a, c) + " alpha=" + a.calculateCategoryAgreement(c));
    System.out.println(n + " overall=" + a.calculateAgreement());
  }
  static UnitizingAnnotationStudy ex1995(double st) {
    UnitizingAnnotationStudy s = new UnitizingAnnotationStudy(2, (int)(0*st), (int)(24*st));
    int[][] u = {{2,8,0},{14,6,0},{4,4,1},{15,2,1}}; String[] c = {"A"};
    Object[][] U = {{2,8,0,"A"},{14,6,0,"A"},{4,4,1,"A"},{15,2,1,"A"},{0,18,0,"B"},{0,2,1,"B"},{2,1,1,"B"},{3,1,1,"B"},{4,1,1,"B"},{5,1,1,"B"},{6,3,1,"B"},{9,1,1,"B"},
      {2,6,0,"C"},{10,2,0,"C"},{14,4,0,"C"},{20,2,0,"C"},{0,2,1,"C"},{4,4,1,"C"},{10,4,1,"C"},{16,2,1,"C"},{20,2,1,"C"},
      {0,2,0,"D"},{2,8,0,"D"},{10,4,0,"D"},{14,6,0,"D"},{20,4,0,"D"},{0,4,1,"D"},{4,4,1,"D"},{8,7,1,"D"},{15,2,1,"D"},{17,7,1,"D"}};
    for (Object[] x : U) s.addUnit((int)((Integer)x[0]*st), (int)((Integer)x[1]*st), (Integer)x[2], x[3]);
    return s;
  }
  public static void main(String[] a) throws Exception {
    p("1995x1", ex1995(1), "A","B","C","D");
    p("1995x0.5", ex1995(0.5), "C");
    p("1995x50000", ex1995(50000), "A","B","C","D");
    UnitizingAnnotationStudy s = new UnitizingAnnotationStudy(2, 150, 300);
    s.addUnit(225,70,0,"c"); s.addUnit(370,30,0,"c"); s.addUnit(220,80,1,"c"); s.addUnit(355,20,1,"c"); s.addUnit(400,20,1,"c");
    s.addUnit(180,60,0,"k"); s.addUnit(300,50,0,"k"); s.addUnit(180,60,1,"k"); s.addUnit(300,50,1,"k");
    p("2004", s, "c", "k");
    s = new UnitizingAnnotationStudy(2, 10); s.addUnit(1,8,0,"A"); s.addUnit(2,1,1,"A"); s.addUnit(4,1,1,"A"); s.addUnit(6,1,1,"A");
    p("ex10", s, "A");
  }
}
