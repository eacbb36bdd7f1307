// The assign on line 6 lacks its semicolon: both tools fail at "endmodule" on line 7.
module syntax_error (
    input  wire a,
    output wire y
);
    assign y = ~a
endmodule
